package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// On a temp dir: what a scan counts as a family file, and what a pass deletes.
func TestScanAndDeleteOnDisk(t *testing.T) {
	logs, state := t.TempDir(), t.TempDir()
	write := func(name, text string, uploaded bool) string {
		path := filepath.Join(logs, name)
		os.WriteFile(path, []byte(text), 0o644)
		old := time.Now().Add(-time.Minute)
		os.Chtimes(path, old, old)
		if uploaded {
			os.WriteFile(filepath.Join(state, stateFileName(path)), []byte(itoa(int64(len(text)))+"\n"+path+"\n0-"+itoa(int64(len(text)))), 0o644)
		}
		return path
	}
	uploaded := write("app.log.2025-12-13_10", "a\n", true)
	notUploaded := write("app.log.2025-12-13_11", "b\n", false)
	decoy := write("app.log.2025-12-13_11.gz", "c\n", true)
	newest := write("app.log.2025-12-13_12", "d\n", true)
	os.Symlink(uploaded, filepath.Join(logs, "app.log.2025-12-13_09")) // a link: never a family file
	os.Mkdir(filepath.Join(logs, "app.log.2025-12-13_08"), 0o755)      // a folder: neither

	s := &settings{LogsDir: logs, StateDir: state, LeftoverQuiet: 10, Families: []family{{Name: "app"}}}
	families := scanFamilies(s)
	if got := paths(families[0].Files); !reflect.DeepEqual(got, []string{uploaded, notUploaded, newest}) {
		t.Fatalf("scanned %v", got)
	}
	var out bytes.Buffer
	sv := &supervisor{s: s, log: logger{&out}, removeFailed: map[string]bool{}}
	sv.deleteUploaded(families, time.Now())
	for path, want := range map[string]bool{uploaded: false, notUploaded: true, decoy: true, newest: true} {
		if _, err := os.Lstat(path); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", path, err == nil, want)
		}
	}
	if _, err := os.Lstat(filepath.Join(logs, "app.log.2025-12-13_09")); err != nil {
		t.Error("the link was removed")
	}
	if !strings.Contains(out.String(), "removed "+uploaded+": the agent uploaded it to its end (2 bytes)") {
		t.Error(out.String())
	}
}

func TestDeleteFileRejudges(t *testing.T) {
	logs, state := t.TempDir(), t.TempDir()
	path := filepath.Join(logs, "app.log.2025-12-13_10")
	os.WriteFile(path, []byte("a\n"), 0o644)
	judged, _ := statFamilyFile(state, path)
	judged.Size, judged.HasState = 0, false // judged empty; it has grown since
	if err := deleteFile(state, judged); err != errChanged {
		t.Fatalf("%v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal("deleted a file that changed")
	}
}

func TestHealthcheck(t *testing.T) {
	config := t.TempDir()
	proc := t.TempDir()
	var out bytes.Buffer
	if healthcheck(config, proc, &out) != 1 || !strings.Contains(out.String(), "cwagent.json is missing") {
		t.Fatal(out.String())
	}
	os.WriteFile(filepath.Join(config, configFileName), []byte("{}\n"), 0o644)
	out.Reset()
	if healthcheck(config, proc, &out) != 1 || !strings.Contains(out.String(), "amazon-cloudwatch-agent is not running") {
		t.Fatal(out.String())
	}
	// A script run by the kernel: argv /bin/sh <path>, comm cut to 15 bytes.
	os.MkdirAll(filepath.Join(proc, "42"), 0o755)
	os.WriteFile(filepath.Join(proc, "42", "comm"), []byte("amazon-cloudwat\n"), 0o644)
	os.WriteFile(filepath.Join(proc, "42", "cmdline"), []byte("/bin/sh\x00/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent\x00"), 0o644)
	if healthcheck(config, proc, &out) != 0 {
		t.Fatal(out.String())
	}
}

func TestMatchesProcess(t *testing.T) {
	name, short := agentProcessName, agentProcessName[:15]
	cases := []struct {
		comm string
		argv []string
		want bool
	}{
		{"amazon-cloudwat", []string{"/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent", "-config", "x"}, true},
		{"amazon-cloudwat", []string{"/bin/sh", "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent"}, true},
		{"start-amazon-cl", []string{"/opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent"}, false},
		{"amazon-cloudwat", []string{"/usr/bin/amazon-cloudwatch-agent-ctl"}, false},
		{"sh", []string{"grep", "amazon-cloudwatch-agent"}, false},
	}
	for _, c := range cases {
		if got := matchesProcess(name, short, c.comm, c.argv); got != c.want {
			t.Errorf("%v: %v", c.argv, got)
		}
	}
}

func TestIsMountPoint(t *testing.T) {
	info := "36 35 98:0 / /opt/aws/amazon-cloudwatch-agent/logs/state rw,noatime master:1 - ext3 /dev/root rw\n"
	if !isMountPoint(info, "/opt/aws/amazon-cloudwatch-agent/logs/state") || isMountPoint(info, "/logs") {
		t.Error("mountinfo")
	}
}
