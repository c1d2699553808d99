// sayso serve: shows a marked statement's details beside the article when it is hovered
// or focused. Reads only the page's own data attributes; writes text, never HTML.
"use strict";
(function () {
  const detail = document.getElementById("detail");
  const text = document.getElementById("text");
  if (!detail || !text) return;
  const show = (mark) => {
    const st = mark.getAttribute("data-st");
    text.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
    text.querySelectorAll('mark[data-st="' + st + '"]').forEach((m) => m.classList.add("active"));
    const item = document.querySelector('.statements li[data-st="' + st + '"]');
    const p = document.createElement("p");
    p.textContent = mark.getAttribute("title") || "";
    const h = document.createElement("h2");
    h.textContent = "Statement";
    detail.replaceChildren(h, p);
    if (item && item.id) {
      const a = document.createElement("a");
      a.href = "#" + item.id;
      a.textContent = "in the list of statements";
      detail.appendChild(a);
    }
  };
  const from = (e) => e.target.closest && e.target.closest("mark[data-st]");
  text.addEventListener("mouseover", (e) => { const m = from(e); if (m) show(m); });
  text.addEventListener("focusin", (e) => { const m = from(e); if (m) show(m); });
})();
