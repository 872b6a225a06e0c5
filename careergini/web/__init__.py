"""The browser SPA for job seekers: static files served by the app on the same origin."""
