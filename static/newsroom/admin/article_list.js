// The article list's filter menus (templates/admin/articles/article/list_filter.html): picking a
// choice opens the list it names.
"use strict";
document.addEventListener("change", (event) => {
  const menu = event.target.closest("select[data-list-filter]");
  if (menu) {
    window.location.href = menu.value;
  }
});
