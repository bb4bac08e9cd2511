// /docs: Swagger UI (static/vendor/swagger-ui) on the app's OpenAPI schema. A file, not an inline
// script, so the app's Content-Security-Policy (script-src 'self') allows it.
const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({ url: root.dataset.openapiUrl, domNode: root, deepLinking: true });
