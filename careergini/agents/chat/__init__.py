"""Chat threads with the career coach: storage, SSE and WebSocket streaming, cancellation."""
