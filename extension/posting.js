// Turns what the page gave into the posting text CareerGini reads (title, company, place, body).

function plain(html) {
  const doc = new DOMParser().parseFromString(String(html || ""), "text/html");
  doc.querySelectorAll("li").forEach((li) => li.prepend("- "));
  doc.querySelectorAll("p, li, br, h1, h2, h3, h4, div").forEach((el) => el.append("\n"));
  return (doc.body.textContent || "").replace(/\n{3,}/g, "\n\n").trim();
}

function place(location) {
  const first = Array.isArray(location) ? location[0] : location;
  const address = first?.address || {};
  return [address.addressLocality, address.addressRegion, address.addressCountry?.name || address.addressCountry]
    .filter((part) => typeof part === "string" && part)
    .join(", ");
}

export function postingFrom(page) {
  const ld = page.jsonld;
  if (ld) {
    const title = String(ld.title || page.title || "").trim();
    const company = String(ld.hiringOrganization?.name || "").trim();
    const where = place(ld.jobLocation);
    const remote = ld.jobLocationType === "TELECOMMUTE" ? "Remote" : "";
    const head = [title, [company, where || remote].filter(Boolean).join(" - ")].filter(Boolean).join("\n");
    return { title, company, text: `${head}\n\n${plain(ld.description)}`.trim(), url: page.url, from: "JSON-LD" };
  }
  return { title: page.title, company: "", text: page.text.trim(), url: page.url, from: "page text" };
}
