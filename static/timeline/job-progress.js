// A background re-extraction's admin page reloads itself every few seconds while the job is queued or running.
(function () {
  "use strict";
  if (document.querySelector("progress.job-progress[data-running]")) {
    window.setTimeout(function () { window.location.reload(); }, 3000);
  }
})();
