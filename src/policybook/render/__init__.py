"""Turn the policy model into the handbook's MyST pages (see `pages.render_pages`)."""
