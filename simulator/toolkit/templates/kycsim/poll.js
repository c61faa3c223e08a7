// Follow the flow without reloading blindly: poll the page's state endpoint (kept out of the request
// journal), reload when the flow has moved, leave for the merchant's http(s) URL when the state says so.
(function () {
  var main = document.querySelector("main[data-poll]");
  if (!main) { return; }
  var url = main.getAttribute("data-poll");
  var shown = main.getAttribute("data-version");
  function httpUrl(value) { return typeof value === "string" && /^https?:\/\/[^\s]+$/i.test(value); }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (response.status >= 400 && response.status < 500) { return null; }  // link gone: stop
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        if (state === null) { return; }
        if (httpUrl(state.leave)) { window.location.assign(state.leave); return; }
        if (state.version !== shown) {  // the flow moved: show it (marked as the page's own reload)
          var again = new URL(window.location.href);
          again.searchParams.set("kycsim_poll", "1");
          window.location.replace(again.href);
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
