package main

import (
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2025, 12, 13, 12, 0, 0, 0, time.UTC)

// file is a family file of size bytes, modified ageS seconds before t0, with the agent's
// uploaded offset (-1: no state).
func file(path string, size int64, ageS int, uploaded int64) fileState {
	f := fileState{Path: path, Size: size, ModTime: t0.Add(-time.Duration(ageS) * time.Second)}
	if uploaded >= 0 {
		f.Uploaded, f.HasState = uploaded, true
	}
	return f
}

func paths(files []fileState) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}

func TestDeletionRule(t *testing.T) {
	cases := []struct {
		name  string
		files []fileState // oldest first: the last is the newest
		quiet int
		want  []string
	}{
		{"the newest is never deleted, even uploaded and quiet", []fileState{file("/l/app.log.2025-12-13_12", 10, 60, 10)}, 10, nil},
		{"an older file uploaded to its end and quiet goes", []fileState{file("/l/app.log.2025-12-13_11", 10, 60, 10), file("/l/app.log.2025-12-13_12", 5, 0, 0)}, 10, []string{"/l/app.log.2025-12-13_11"}},
		{"saved offset below the size: kept", []fileState{file("/l/a.1", 10, 60, 9), file("/l/a.2", 5, 0, 0)}, 10, nil},
		{"saved offset above the size (truncated): kept", []fileState{file("/l/a.1", 10, 60, 11), file("/l/a.2", 5, 0, 0)}, 10, nil},
		{"no state: kept", []fileState{file("/l/a.1", 10, 60, -1), file("/l/a.2", 5, 0, 0)}, 10, nil},
		{"modified within the quiet time: kept", []fileState{file("/l/a.1", 10, 9, 10), file("/l/a.2", 5, 0, 0)}, 10, nil},
		{"modified exactly the quiet time ago: goes", []fileState{file("/l/a.1", 10, 10, 10), file("/l/a.2", 5, 0, 0)}, 10, []string{"/l/a.1"}},
		{"quiet 0: goes at once", []fileState{file("/l/a.1", 10, 0, 10), file("/l/a.2", 5, 0, 0)}, 0, []string{"/l/a.1"}},
		{"an empty file has nothing to upload: goes", []fileState{file("/l/a.1", 0, 60, -1), file("/l/a.2", 5, 0, 0)}, 10, []string{"/l/a.1"}},
		{"several: only the ones that qualify", []fileState{file("/l/a.1", 10, 60, 10), file("/l/a.2", 10, 60, 3), file("/l/a.3", 10, 60, 10), file("/l/a.4", 10, 60, 10)}, 10, []string{"/l/a.1", "/l/a.3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := paths(toDelete([]familyFiles{{Family: family{Name: "app"}, Files: c.files}}, t0, c.quiet))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("deleted %v, want %v", got, c.want)
			}
		})
	}
}

func TestUncoveredAndRestart(t *testing.T) {
	fam := func(files ...fileState) []familyFiles {
		return []familyFiles{{Family: family{Name: "app"}, Files: files}}
	}
	newest := file("/l/a.9", 5, 0, 0)
	covered := map[string]bool{"/l/a.1": true}

	// Covered leftovers, uploaded ones and the newest are never tracked.
	got := trackUncovered(nil, fam(file("/l/a.1", 10, 60, 0), file("/l/a.2", 10, 60, 10), newest), covered, t0)
	if len(got) != 0 {
		t.Fatalf("tracked %v", got)
	}

	// An uncovered leftover: tracked from now, its time kept while its offset stands still.
	stuckOne := file("/l/a.3", 10, 60, 4)
	first := trackUncovered(nil, fam(stuckOne, newest), covered, t0)
	if first["/l/a.3"].Since != t0 {
		t.Fatalf("since %v", first["/l/a.3"].Since)
	}
	later := t0.Add(9 * time.Second)
	second := trackUncovered(first, fam(stuckOne, newest), covered, later)
	if second["/l/a.3"].Since != t0 {
		t.Fatalf("since moved to %v", second["/l/a.3"].Since)
	}
	if stuck := stuckFiles(second, later); len(stuck) != 0 || restartDue(stuck, later, time.Time{}) {
		t.Fatalf("stuck after 9 s: %v", stuck)
	}
	at10 := t0.Add(10 * time.Second)
	third := trackUncovered(second, fam(stuckOne, newest), covered, at10)
	stuck := stuckFiles(third, at10)
	if !reflect.DeepEqual(stuck, []string{"/l/a.3"}) || !restartDue(stuck, at10, time.Time{}) {
		t.Fatalf("not stuck after 10 s: %v", stuck)
	}
	// A restart 19 s ago holds the next one back; 20 s ago does not.
	if restartDue(stuck, at10, at10.Add(-19*time.Second)) || !restartDue(stuck, at10, at10.Add(-20*time.Second)) {
		t.Fatal("restart spacing")
	}

	// Progress resets the time; a file without state is tracked as such.
	moved := file("/l/a.3", 10, 60, 6)
	fourth := trackUncovered(third, fam(moved, file("/l/a.4", 10, 60, -1), newest), covered, at10)
	if fourth["/l/a.3"].Since != at10 || fourth["/l/a.4"].HasState {
		t.Fatalf("after progress: %+v", fourth)
	}
}

func TestDrainDecision(t *testing.T) {
	deadline := t0.Add(20 * time.Second)
	cases := []struct {
		name   string
		forced bool
		behind string
		now    time.Time
		want   drainStep
	}{
		{"behind, time left: wait", false, "/l/a (1 of 2 bytes)", t0, drainWait},
		{"everything uploaded: stop", false, "", t0, drainUploaded},
		{"deadline reached: stop", false, "/l/a (1 of 2 bytes)", deadline, drainDeadline},
		{"second signal: stop now", true, "/l/a (1 of 2 bytes)", t0, drainForced},
	}
	for _, c := range cases {
		if got := decideDrain(c.forced, c.behind, c.now, deadline); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	b := behind([]familyFiles{{Files: []fileState{file("/l/a.1", 10, 0, 10), file("/l/a.2", 0, 0, -1), file("/l/a.3", 8, 0, -1), file("/l/a.4", 8, 0, 3)}}})
	if b != "/l/a.3 (0 of 8 bytes), /l/a.4 (3 of 8 bytes)" {
		t.Errorf("behind: %q", b)
	}
}
