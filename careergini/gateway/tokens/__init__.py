"""Personal access tokens: what an assistant (MCP) or the browser clipper signs in with."""
