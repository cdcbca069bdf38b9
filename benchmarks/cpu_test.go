package benchmarks

import "testing"

// loopCPU runs body in a b.Loop and reports the process's CPU time per
// operation as cpu-ns/op.
func loopCPU(b *testing.B, body func()) {
	b.Helper()
	c0, ok := cpuTime()
	for b.Loop() {
		body()
	}
	if c1, ok1 := cpuTime(); ok && ok1 && b.N > 0 {
		b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
	}
}
