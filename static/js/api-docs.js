// The API's docs page: Swagger UI (static/vendor/swagger-ui), reading the
// schema from the address the page gives in data-schema-url. No inline
// script: the site's Content-Security-Policy allows none.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: true,
    // Read-only and open: "Try it out" sends real GETs to this site.
    supportedSubmitMethods: ["get"],
    // No call to swagger.io's validator badge.
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
