"""The live preview: a local server, the live build, and the preview app (app.html/js/css)."""
