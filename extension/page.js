// Runs in the job page (chrome.scripting): its schema.org JobPosting JSON-LD, else its text.
export function readJobPage() {
  const postings = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const type = node["@type"];
    if (type === "JobPosting" || (Array.isArray(type) && type.includes("JobPosting"))) postings.push(node);
    if (node["@graph"]) visit(node["@graph"]);
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent));
    } catch {
      // A broken block on the page: the others may still hold the posting.
    }
  }
  return {
    url: location.href,
    title: document.title,
    jsonld: postings[0] || null,
    text: (document.body?.innerText || "").slice(0, 60000),
  };
}
