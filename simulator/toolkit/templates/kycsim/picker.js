// Enhances each [data-picker] once: a filter box over the grouped <select> (every word must match the
// scenario's name, outcome, description, codes or labels and their meanings) and a panel describing
// the chosen scenario. No dependencies; the <select> keeps working on its own without this script.
(function () {
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function enhance(box) {
    if (box.getAttribute("data-picker-ready")) { return; }
    box.setAttribute("data-picker-ready", "1");
    var select = box.querySelector("select");
    var panel = box.querySelector("[data-picker-detail]");
    var details = JSON.parse(box.querySelector("[data-picker-details]").textContent || "{}");
    var options = Array.prototype.slice.call(select.options);
    var haystacks = options.map(function (option) {
      var d = details[option.value] || {};
      return [option.value, option.textContent, d.group || "", d.description || "", (d.codes || []).join(" ")]
        .join(" ").toLowerCase();
    });
    var tools = el("div", "picker-tools");
    var search = el("input", "picker-search");
    search.type = "search";
    search.placeholder = "Filter by name, code, label or meaning";
    search.setAttribute("aria-label", "Filter the scenarios");
    search.setAttribute("autocomplete", "off");
    var count = el("span", "picker-count");
    count.setAttribute("aria-live", "polite");
    tools.appendChild(search);
    tools.appendChild(count);
    select.parentNode.insertBefore(tools, select);

    function filter() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option, index) {
        var match = words.every(function (word) { return haystacks[index].indexOf(word) !== -1; });
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var total = group.children.length;
        var matching = Array.prototype.filter.call(group.children, function (o) { return !o.hidden; }).length;
        group.hidden = matching === 0;
        group.label = group.getAttribute("data-group") + " (" + (matching === total ? total : matching + " of " + total) + ")";
      });
      count.textContent = shown + " of " + options.length;
      describe();
    }
    function describe() {
      var name = select.value;
      var d = details[name];
      panel.textContent = "";
      if (!d) { panel.appendChild(el("p", "muted", "Pick a scenario to see what it does.")); return; }
      var head = el("p");
      head.appendChild(el("b", "", name));
      head.appendChild(el("span", "muted", " · " + d.group));
      panel.appendChild(head);
      panel.appendChild(el("p", "", d.description));
      if (d.codes && d.codes.length) {
        var list = el("ul");
        d.codes.forEach(function (code) { list.appendChild(el("li", "", code)); });
        panel.appendChild(list);
      }
      if (select.selectedOptions.length && select.selectedOptions[0].hidden) {
        panel.appendChild(el("p", "muted", "Still chosen, though the filter hides it."));
      }
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();  // Enter filters; it never submits the form by surprise
      var visible = options.filter(function (o) { return !o.hidden; });
      if (visible.length === 1) { select.value = visible[0].value; describe(); }
    });
    select.addEventListener("change", describe);
    filter();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), enhance);
  window.kycsimPicker = { enhance: enhance };  // the dashboard draws pickers later and enhances them itself
})();
