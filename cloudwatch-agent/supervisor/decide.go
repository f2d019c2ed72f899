package main

import (
	"fmt"
	"strings"
	"time"
)

// The decisions of the supervisor, on snapshots of the files: no I/O, no clock of their own, so
// they are tested exhaustively (decide_test.go). scan.go takes the snapshots.

// fileState is one family file as a pass sees it.
type fileState struct {
	Path     string
	Size     int64
	ModTime  time.Time
	Uploaded int64 // the agent's saved offset, when it counts as uploaded (state.go)
	HasState bool  // false: no state file, or one that does not count
}

// uploadedToEnd is true when CloudWatch accepted the file's last byte: the agent's saved offset
// is its size. An empty file has nothing to upload.
func (f fileState) uploadedToEnd() bool {
	return f.Size == 0 || f.HasState && f.Uploaded == f.Size
}

// quiet is true when the file has not been modified for quietSeconds at now.
func (f fileState) quiet(now time.Time, quietSeconds int) bool {
	return now.Unix()-f.ModTime.Unix() >= int64(quietSeconds)
}

// familyFiles is one family's files on disk, oldest first: the last is the newest.
type familyFiles struct {
	Family family
	Files  []fileState
}

// leftovers are every file but the newest.
func (f familyFiles) leftovers() []fileState {
	if len(f.Files) == 0 {
		return nil
	}
	return f.Files[:len(f.Files)-1]
}

// deletable is true when the sidecar deletes a leftover: CloudWatch accepted its last byte and
// it has been left alone for quietSeconds. The newest file never gets here.
func deletable(f fileState, now time.Time, quietSeconds int) bool {
	return f.uploadedToEnd() && f.quiet(now, quietSeconds)
}

// toDelete returns, over every family, the leftovers the sidecar deletes now.
func toDelete(families []familyFiles, now time.Time, quietSeconds int) []fileState {
	var out []fileState
	for _, fam := range families {
		for _, f := range fam.leftovers() {
			if deletable(f, now, quietSeconds) {
				out = append(out, f)
			}
		}
	}
	return out
}

// progress is where an uncovered leftover's upload stood, and since when it has stood there.
type progress struct {
	Uploaded int64
	HasState bool
	Since    time.Time
}

// trackUncovered returns the leftovers no entry of the config covers and that are not uploaded
// to their end, each with the time since which its saved offset has not moved (kept from prev
// while it has not).
func trackUncovered(prev map[string]progress, families []familyFiles, covered map[string]bool, now time.Time) map[string]progress {
	next := map[string]progress{}
	for _, fam := range families {
		for _, f := range fam.leftovers() {
			if f.uploadedToEnd() || covered[f.Path] {
				continue
			}
			p := progress{Uploaded: f.Uploaded, HasState: f.HasState, Since: now}
			if old, ok := prev[f.Path]; ok && old.Uploaded == p.Uploaded && old.HasState == p.HasState {
				p.Since = old.Since
			}
			next[f.Path] = p
		}
	}
	return next
}

// Restart timing: an uncovered leftover that makes no progress for uncoveredGrace restarts the
// agent, at most once per restartSpacing.
const (
	uncoveredGrace = 10 * time.Second
	restartSpacing = 20 * time.Second
)

// stuckFiles are the uncovered leftovers that have made no progress for uncoveredGrace, sorted.
func stuckFiles(uncovered map[string]progress, now time.Time) []string {
	var stuck []string
	for path, p := range uncovered {
		if now.Unix()-p.Since.Unix() >= int64(uncoveredGrace/time.Second) {
			stuck = append(stuck, path)
		}
	}
	sortStrings(stuck)
	return stuck
}

// restartDue is true when a leftover is stuck and the last restart (zero: none) is far enough back.
func restartDue(stuck []string, now, lastRestart time.Time) bool {
	if len(stuck) == 0 {
		return false
	}
	return lastRestart.IsZero() || now.Unix()-lastRestart.Unix() >= int64(restartSpacing/time.Second)
}

// behind describes the family files (newest ones and leftovers) not uploaded to their end:
// "<path> (<saved> of <size> bytes)", joined by ", "; "" when every byte is accepted.
func behind(families []familyFiles) string {
	var parts []string
	for _, fam := range families {
		for _, f := range fam.Files {
			if f.uploadedToEnd() {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s (%d of %d bytes)", f.Path, f.Uploaded, f.Size))
		}
	}
	return strings.Join(parts, ", ")
}

// drainStep is what a pass does while the supervisor is stopping.
type drainStep int

const (
	drainWait     drainStep = iota // files are behind and there is time left
	drainUploaded                  // every file is uploaded to its end: stop the agent
	drainDeadline                  // the wait is over: stop the agent with files behind
	drainForced                    // a second signal: stop the agent now
)

// decideDrain chooses the drain step from a second signal, what is behind and the deadline.
func decideDrain(forced bool, behindNow string, now, deadline time.Time) drainStep {
	switch {
	case forced:
		return drainForced
	case behindNow == "":
		return drainUploaded
	case !now.Before(deadline):
		return drainDeadline
	default:
		return drainWait
	}
}
