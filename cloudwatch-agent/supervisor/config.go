package main

import (
	"os"
	"path/filepath"
)

// writeConfig writes the config into dir through a temporary file, so the agent never reads
// half of it. The temporary file gets a fresh random name created exclusively (O_EXCL, mode
// 0600), so a file or link planted in the folder is never written through; rename() replaces
// the config's directory entry itself, never the target of a link planted there.
func writeConfig(dir, config string) error {
	tmp, err := os.CreateTemp(dir, "."+configFileName+".")
	if err != nil {
		return failf("cannot create a temporary file in %s.", dir)
	}
	name := tmp.Name()
	_, writeErr := tmp.WriteString(config)
	closeErr := tmp.Close()
	if writeErr != nil || closeErr != nil || os.Chmod(name, 0o644) != nil {
		os.Remove(name)
		return failf("cannot write %s.", name)
	}
	target := filepath.Join(dir, configFileName)
	if err := os.Rename(name, target); err != nil {
		os.Remove(name)
		return failf("cannot write %s.", target)
	}
	return nil
}
