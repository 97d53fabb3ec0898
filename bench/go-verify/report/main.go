// Command report reads `go test -bench` output on stdin, passes it through,
// and appends the median ns/op of each benchmark with its ratio to
// BenchmarkRawHMAC (the limit). Medians of interleaved -count runs keep the
// ratios meaningful on a noisy, shared machine.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	runs := map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		line := sc.Text()
		fmt.Println(line)
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndex(name, "-"); i > 0 {
			name = name[:i]
		}
		if _, ok := runs[name]; !ok {
			order = append(order, name)
		}
		runs[name] = append(runs[name], ns)
	}
	base := median(runs["RawHMAC"])
	if base == 0 {
		fmt.Fprintln(os.Stderr, "report: no BenchmarkRawHMAC results")
		os.Exit(1)
	}
	fmt.Printf("\nGo verify, 2 KiB body (median of %d runs)\n", len(runs["RawHMAC"]))
	fmt.Printf("%-24s %10s %14s %10s\n", "benchmark", "µs/verify", "verifies/s", "× raw")
	for _, name := range order {
		m := median(runs[name])
		fmt.Printf("%-24s %10.2f %14.0f %10.2f\n", name, m/1000, 1e9/m, m/base)
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
