package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// agentProcessName is the agent's program (started by start-amazon-cloudwatch-agent).
const agentProcessName = "amazon-cloudwatch-agent"

// healthcheck is the image's HEALTHCHECK: the rendered config is in place and not empty, and
// the agent process runs. Exit 0 healthy, 1 not, with one line on stderr saying why.
func healthcheck(configDir, procDir string, stderr io.Writer) int {
	config := filepath.Join(configDir, configFileName)
	if info, err := os.Stat(config); err != nil || !info.Mode().IsRegular() || info.Size() == 0 {
		fmt.Fprintf(stderr, "unhealthy: %s is missing\n", config)
		return 1
	}
	if !processRuns(procDir, agentProcessName) {
		fmt.Fprintf(stderr, "unhealthy: %s is not running\n", agentProcessName)
		return 1
	}
	return 0
}

// processRuns is true when a process in procDir (/proc) runs program name: its argv[0] is that
// program, or (a script, or a name longer than comm's 15 bytes) its comm is the name's first
// 15 bytes and argv[0] or argv[1] is that program.
func processRuns(procDir, name string) bool {
	entries, err := os.ReadDir(procDir)
	if err != nil {
		return false
	}
	short := name
	if len(short) > 15 {
		short = short[:15]
	}
	for _, entry := range entries {
		pid := entry.Name()
		if strings.Trim(pid, "0123456789") != "" {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(procDir, pid, "cmdline"))
		comm, _ := os.ReadFile(filepath.Join(procDir, pid, "comm"))
		if matchesProcess(name, short, strings.TrimSuffix(string(comm), "\n"), strings.Split(string(cmdline), "\x00")) {
			return true
		}
	}
	return false
}

func matchesProcess(name, short, comm string, argv []string) bool {
	if len(argv) > 0 && filepath.Base(argv[0]) == name {
		return true
	}
	if comm != short {
		return false
	}
	if len(name) <= 15 {
		return true
	}
	return len(argv) > 1 && filepath.Base(argv[1]) == name
}
