// Talks to the user's own CareerGini only: the MCP endpoint at <their URL>/mcp, one JSON-RPC
// POST per tool call, with their personal access token.

export async function settings() {
  const { baseUrl = "", token = "" } = await chrome.storage.local.get(["baseUrl", "token"]);
  return { baseUrl: baseUrl.replace(/\/+$/, ""), token };
}

export async function callTool(name, args) {
  const { baseUrl, token } = await settings();
  if (!baseUrl || !token) throw new Error("Set your CareerGini address and token in the clipper's options first.");
  let response;
  try {
    response = await fetch(`${baseUrl}/mcp`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18",
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: Date.now(), method: "tools/call", params: { name, arguments: args } }),
    });
  } catch {
    throw new Error(`CareerGini at ${baseUrl} cannot be reached.`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `CareerGini answered ${response.status}.`);
  if (body.error) throw new Error(body.error.message || "The call failed.");
  const text = body.result?.content?.[0]?.text ?? "";
  if (body.result?.isError) throw new Error(text.replace(/^Error executing tool \w+: /, ""));
  return body.result.structuredContent ?? JSON.parse(text);
}
