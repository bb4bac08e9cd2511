"""gradtrace web application."""
