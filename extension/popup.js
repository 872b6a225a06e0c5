// The popup: read the job page, show the match score and top gaps, save it in one click.
import { callTool, settings } from "./mcp.js";
import { readJobPage } from "./page.js";
import { postingFrom } from "./posting.js";

const $ = (id) => document.getElementById(id);

function fail(message) {
  $("status").hidden = true;
  $("error").hidden = false;
  $("error").textContent = message;
}

async function targetTab() {
  // ?tab=<id> opens the popup for a given tab (a pinned popup window); else the active tab.
  const wanted = Number(new URLSearchParams(location.search).get("tab"));
  if (wanted) return chrome.tabs.get(wanted);
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  return tab;
}

async function main() {
  const { baseUrl, token } = await settings();
  if (!baseUrl || !token) return fail("Set your CareerGini address and access token in Settings first.");
  const tab = await targetTab();
  if (!tab || !/^https?:/.test(tab.url || "")) return fail("Open a job page first.");
  const [{ result: page }] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: readJobPage });
  const posting = postingFrom(page);
  if (posting.text.length < 40) return fail("This page holds no job text to read.");
  $("status").textContent = `Scoring (read from the ${posting.from})…`;
  const analysis = await callTool("analyse_job", { job_description: posting.text });
  $("job-title").textContent = analysis.target?.title || posting.title;
  $("job-company").textContent = analysis.target?.company || posting.company;
  $("score").textContent = Math.round(analysis.match?.score ?? 0);
  $("summary").textContent = analysis.match?.summary || "";
  const gaps = (analysis.gap?.missing_required || []).concat(analysis.gap?.missing_preferred || []).slice(0, 5);
  $("gaps").replaceChildren(
    ...(gaps.length ? gaps : [{ name: "None: you cover every skill it asks for" }]).map((gap) => {
      const li = document.createElement("li");
      li.textContent = gap.importance ? `${gap.name} (${gap.importance})` : gap.name;
      return li;
    }),
  );
  $("status").hidden = true;
  $("result").hidden = false;
  $("save").addEventListener("click", async () => {
    $("save").disabled = true;
    try {
      const job = await callTool("save_job", { text: posting.text, title: posting.title || null, company: posting.company || null });
      let note = "Saved to your jobs.";
      if ($("track").checked) {
        await callTool("create_application", { job_id: job.id, status: "saved" });
        note = "Saved, and tracked as a saved application.";
      }
      $("saved").textContent = note;
      $("saved").dataset.jobId = job.id;
    } catch (error) {
      $("save").disabled = false;
      fail(error.message);
    }
  });
}

main().catch((error) => fail(error.message));
