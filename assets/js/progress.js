// Progressive enhancement of the progress display ({% progress key %}).
// Without this file the page shows the state when it was made and a "Refresh" link.
// With it, each display polls its JSON (data-progress-url) and updates in place until the
// work has finished; the live region announces the state and every tenth of the way.

const POLL_INTERVAL_MS = 2000;
const TAG_COLOURS = {
  waiting: "govuk-tag--grey",
  running: "govuk-tag--blue",
  done: "govuk-tag--green",
  failed: "govuk-tag--red",
};

function barClass(percent) {
  const step = percent === null ? 0 : Math.floor(percent / 5) * 5;
  return `th-progress__bar th-progress__bar--w${step}`;
}

function announcement(report) {
  if (report.finished || report.percent === null) {
    return `${report.state_label}. ${report.summary}`;
  }
  return `${report.state_label}. ${Math.floor(report.percent / 10) * 10}%`;
}

function render(display, report) {
  const tag = display.querySelector("[data-progress-state]");
  tag.textContent = report.state_label;
  tag.className = `govuk-tag ${TAG_COLOURS[report.state] || ""}`;
  display.querySelector("[data-progress-bar]").className = barClass(report.percent);
  display.querySelector("[data-progress-summary]").textContent = report.summary;
  const message = display.querySelector("[data-progress-message]");
  message.textContent = report.message;
  message.hidden = !report.message;
  const live = display.querySelector("[data-progress-live]");
  const spoken = announcement(report);
  if (live.textContent !== spoken) {
    live.textContent = spoken;
  }
}

function follow(display) {
  const url = display.dataset.progressUrl;
  const refresh = display.querySelector("[data-progress-refresh]");
  if (refresh) {
    refresh.hidden = true;
  }
  const poll = async () => {
    let report;
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      report = await response.json();
    } catch {
      // Give the person the way to carry on that works without JavaScript.
      if (refresh) {
        refresh.hidden = false;
      }
      return;
    }
    render(display, report);
    if (report.finished) {
      if (refresh) {
        refresh.remove();
      }
      return;
    }
    window.setTimeout(poll, POLL_INTERVAL_MS);
  };
  window.setTimeout(poll, POLL_INTERVAL_MS);
}

export function initAll(root = document) {
  root.querySelectorAll('[data-module="th-progress"]').forEach(follow);
}
