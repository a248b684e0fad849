// GOV.UK Frontend's classes for a browser that runs scripts, set before the page is drawn
// (loaded at the top of <body>). A file rather than inline, so the content security
// policy needs no per-visitor nonce (ADR 0045).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
