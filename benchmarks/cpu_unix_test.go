//go:build unix

package benchmarks

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used so far:
// with the server in another process, a client's own cost, which other
// work on the machine changes much less than wall-clock time.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
