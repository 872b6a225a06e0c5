// Settings: the user's CareerGini address and personal access token, kept in this browser.
const form = document.getElementById("form");
const baseUrl = document.getElementById("base-url");
const token = document.getElementById("token");
const status = document.getElementById("status");

chrome.storage.local.get(["baseUrl", "token"]).then((saved) => {
  baseUrl.value = saved.baseUrl || "";
  token.value = saved.token || "";
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = baseUrl.value.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(url)) {
    status.textContent = "Give the address as http(s)://host[:port].";
    return;
  }
  if (!token.value.trim().startsWith("cgp_")) {
    status.textContent = "An access token starts with cgp_: make one on your Account page.";
    return;
  }
  await chrome.storage.local.set({ baseUrl: url, token: token.value.trim() });
  status.textContent = "Saved.";
});
