"""The wire: SSE decoding, one adapter per format, and the HTTP client. Never Qt."""
