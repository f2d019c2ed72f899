package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The agent's state files (aws/amazon-cloudwatch-agent internal/state/state.go, range.go): one
// per file it reads, in its state folder, named after the path with '/', ' ' and ':' replaced
// by '_'. The text: the offset, a newline, the path, and when the tracker holds a range a
// newline and the byte ranges done ("0-1234"; several with max_persist_state).

// stateFileName is the name of the agent's state file for path.
func stateFileName(path string) string {
	return strings.NewReplacer("/", "_", " ", "_", ":", "_").Replace(path)
}

// savedOffset is what the agent restores from a state file text: its first line as a whole
// number, and whether it is one.
func savedOffset(text string) (int64, bool) {
	first := strings.SplitN(text, "\n", 2)[0]
	if !digits.MatchString(first) {
		return 0, false
	}
	offset, err := strconv.ParseInt(first, 10, 64)
	return offset, err == nil
}

// uploadedOffset is how far the sidecar counts path as accepted by CloudWatch, from its state
// file text: the offset when the second line is path itself (not another path escaped to the
// same name) and the ranges are absent or exactly 0-<offset> (no gaps); ok false otherwise.
func uploadedOffset(path, text string) (int64, bool) {
	lines := strings.Split(text, "\n")
	offset, ok := savedOffset(text)
	if !ok || len(lines) < 2 || lines[1] != path {
		return 0, false
	}
	if len(lines) > 2 {
		if lines[2] != "0-"+lines[0] || len(lines) > 3 && strings.Join(lines[3:], "") != "" {
			return 0, false
		}
	}
	return offset, true
}

// readUploadedOffset reads path's state file in stateDir; ok false when there is none or it does
// not count as uploaded.
func readUploadedOffset(stateDir, path string) (int64, bool) {
	text, err := os.ReadFile(filepath.Join(stateDir, stateFileName(path)))
	if err != nil {
		return 0, false
	}
	return uploadedOffset(path, string(text))
}
