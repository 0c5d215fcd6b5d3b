"""What several apps share: client address, rate limiting, exports."""
