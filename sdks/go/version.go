package hookline

import (
	_ "embed"
	"encoding/json"
)

// package.json is the private package changesets versions; the module is
// tagged sdks/go/v<version> from it, so the version lives there only.
//
//go:embed package.json
var packageJSON []byte

var version = func() string {
	var p struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(packageJSON, &p); err != nil || p.Version == "" {
		return "unknown"
	}
	return p.Version
}()

// Version returns the SDK's version (sent in the User-Agent header).
func Version() string { return version }
