// Counts a visit through the JSON API and updates the numbers in place.
(function () {
  "use strict";
  var button = document.querySelector("[data-count-visit]");
  var total = document.querySelector("[data-visits]");
  var regions = document.querySelector("[data-regions]");
  var status = document.querySelector("[data-status]");
  if (!button || !total) return;
  var serving = (document.querySelector(".where strong") || {}).textContent;

  function show(data) {
    total.textContent = String(data.visits);
    if (!regions) return;
    regions.textContent = "";
    Object.keys(data.regions).sort().forEach(function (name) {
      var item = document.createElement("li");
      if (name === serving) item.className = "serving";
      var label = document.createElement("span");
      label.className = "region";
      label.textContent = name;
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = String(data.regions[name]);
      item.append(label, " ", count);
      regions.append(item);
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "";
    fetch("/api/visits", { method: "POST", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      })
      .then(show)
      .catch(function (error) { status.textContent = "Could not count: " + error.message; })
      .finally(function () { button.disabled = false; });
  });
})();
