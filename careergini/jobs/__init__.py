"""Jobs: postings from job boards, feeds, career pages and uploads; hybrid search,
explained recommendations, and the application tracker."""
