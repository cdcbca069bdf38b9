package benchmarks

import (
	"runtime"
	"testing"
)

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

// parallelCPU is loopCPU for b.RunParallel: body runs in each goroutine.
func parallelCPU(b *testing.B, body func(*testing.PB)) {
	b.Helper()
	c0, ok := cpuTime()
	b.ResetTimer()
	b.RunParallel(body)
	b.StopTimer()
	if c1, ok1 := cpuTime(); ok && ok1 && b.N > 0 {
		b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
	}
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
