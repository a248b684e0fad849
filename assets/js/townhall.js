// Townhall's progressive enhancements. Every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();
if (document.querySelector('[data-module="th-progress"]')) import("./progress.js").then((progress) => progress.initAll());

// Maps: turn each th-map canvas into a Leaflet map. The table of places beside it stays,
// so the map only adds to what is already on the page. Leaflet (window.L) is loaded by
// the map component itself, only on pages that have a map.
function escapeHtml(text) {
  const element = document.createElement("span");
  element.textContent = text;
  return element.innerHTML;
}

// Only links to this site ("/path", never "//host") or to http(s) addresses.
function isSafeUrl(url) {
  return /^\/(?![\/\\])/.test(url) || /^https?:\/\//i.test(url);
}

// Built with DOM methods, not HTML strings, so no property can break out of an attribute.
function popupFor(properties) {
  const popup = document.createElement("div");
  const title = document.createElement("strong");
  const url = properties.url || "";
  if (url && isSafeUrl(url)) {
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = url;
    link.textContent = properties.name || "";
    title.append(link);
  } else {
    title.textContent = properties.name || "";
  }
  popup.append(title);
  if (properties.description) {
    popup.append(document.createElement("br"), properties.description);
  }
  return popup;
}

function enhanceMap(canvas) {
  const L = window.L;
  const source = document.getElementById(canvas.dataset.geojson);
  if (!L || !source || !canvas.dataset.tileUrl) {
    return;
  }
  const collection = JSON.parse(source.textContent);
  canvas.hidden = false;
  canvas.setAttribute("role", "region");
  canvas.setAttribute("aria-label", canvas.dataset.label || "");
  const map = L.map(canvas, { keyboard: true, scrollWheelZoom: false });
  L.tileLayer(canvas.dataset.tileUrl, {
    attribution: canvas.dataset.attribution ? escapeHtml(canvas.dataset.attribution) : "",
    maxZoom: 19,
  }).addTo(map);
  const layer = L.geoJSON(collection, {
    style: { color: getComputedStyle(document.documentElement).getPropertyValue("--th-brand").trim() || "#1d4f91", weight: 3 },
    pointToLayer: (feature, latlng) =>
      L.marker(latlng, { keyboard: true, title: feature.properties.name, alt: feature.properties.name }),
    onEachFeature: (feature, featureLayer) => featureLayer.bindPopup(popupFor(feature.properties)),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([54, -2], 5);
  }
  canvas.closest(".th-map")?.classList.add("th-map--enhanced");
}

document.querySelectorAll('[data-module="th-map"]').forEach(enhanceMap);
