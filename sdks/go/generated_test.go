package hookline

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGeneratedCodeIsFresh regenerates the genqlient output from the shared
// schema into a temporary directory and fails when the committed copy differs.
func TestGeneratedCodeIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator; skipped with -short")
	}
	cfg, err := os.ReadFile("genqlient.yaml")
	if err != nil {
		t.Fatal(err)
	}
	repoSchema, err := filepath.Abs("../../schema")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	out := filepath.Join(tmp, "generated.go")
	text := string(cfg)
	for old, repl := range map[string]string{
		"schema: ../../schema/":          "schema: " + repoSchema + "/",
		"  - ../../schema/operations/":   "  - " + repoSchema + "/operations/",
		"generated: internal/generated/": "generated: " + tmp + "/",
	} {
		if !strings.Contains(text, old) {
			t.Fatalf("genqlient.yaml no longer contains %q; update this test", old)
		}
		text = strings.Replace(text, old, repl, 1)
	}
	cfgPath := filepath.Join(tmp, "genqlient.yaml")
	if err := os.WriteFile(cfgPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "github.com/Khan/genqlient", cfgPath)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genqlient: %v\n%s", err, b)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("internal/generated/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("internal/generated/generated.go is stale: run `go generate ./...` in sdks/go")
	}
}

// generatedOperations lists the operation names genqlient generated.
func generatedOperations(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("internal/generated/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, m := range regexp.MustCompile(`OpName:\s+"(\w+)"`).FindAllStringSubmatch(string(src), -1) {
		ops = append(ops, m[1])
	}
	if len(ops) == 0 {
		t.Fatal("no operations found in generated.go")
	}
	return ops
}
