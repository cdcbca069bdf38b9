package oidc

import (
	"context"
	"time"
)

// SetWait replaces the device flow's wait between polls, for tests.
func SetWait(c *Client, wait func(ctx context.Context, d time.Duration) error) { c.wait = wait }
