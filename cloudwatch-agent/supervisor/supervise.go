package main

import (
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// The supervisor makes one pass a second. A restart gives the agent agentStopTimeout to exit
// after SIGTERM, then kills it.
const (
	checkInterval    = time.Second
	agentStopTimeout = 25 * time.Second
)

// clock is the time source of the supervisor's decisions.
type clock func() time.Time

func wallClock() clock { return time.Now }

// supervisor runs the agent as its child. One loop receives the signals, a 1 s ticker and the
// agent's exit (from a goroutine in cmd.Wait) and acts on them; nothing else changes its state.
type supervisor struct {
	s        *settings
	template string
	env      getenv
	log      logger
	now      clock

	signals chan os.Signal
	ticker  *time.Ticker
	agent   *exec.Cmd
	exited  chan int

	covered      map[string]bool     // leftovers with an entry of their own in the config
	uncovered    map[string]progress // leftovers no entry covers, not uploaded to their end
	lastRestart  time.Time
	removeFailed map[string]bool
	leftovers    []string // the covered leftovers, in the config's order

	// restartStatus ends the loop with this status: told to stop while restarting, or the
	// restart failed.
	restartStatus *int

	stopping     bool // a first SIGTERM/SIGINT came: draining
	forced       bool // a second one came: stop now
	toldToStop   bool // the agent got its SIGTERM
	stopDeadline time.Time
}

func newSupervisor(s *settings, template string, env getenv, log logger) *supervisor {
	return &supervisor{
		s: s, template: template, env: env, log: log, now: wallClock(),
		uncovered: map[string]progress{}, removeFailed: map[string]bool{},
	}
}

// start checks AWS access, writes the config, starts the agent and supervises it until it exits;
// it returns the agent's status.
func (sv *supervisor) start() (int, error) {
	s := sv.s
	platform, warning, err := checkAWSAccess(s, sv.env, func() bool { return instanceMetadataAnswers(sv.env, nil) })
	if err != nil {
		return 0, err
	}
	if warning != "" {
		sv.log.say("warning: %s", warning)
	}
	if err := os.MkdirAll(s.ConfigDir, 0o755); err != nil {
		return 0, failf("cannot create %s.", s.ConfigDir)
	}
	// Before the agent starts, so that a signal at any moment is handled.
	sv.signals = make(chan os.Signal, 8)
	signal.Notify(sv.signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	if err := sv.prepareConfig(); err != nil {
		return 0, err
	}
	region := s.Region
	if region == "" {
		region = "found by the agent on " + platform
	}
	retention := orDefault(s.Retention, "unchanged")
	sv.log.say("config written to %s/%s (region: %s, retention: %s)", s.ConfigDir, configFileName, region, retention)
	for _, fam := range s.Families {
		what := ""
		if fam.Metrics {
			what = " (CloudWatch metrics, EMF)"
		}
		sv.log.say("collecting %s/%s.log.*%s -> log group %s, stream %s/%s; every file but the newest is deleted by the sidecar once CloudWatch accepted its last byte",
			s.LogsDir, fam.Name, what, s.Group, fam.Name, s.StreamHost)
	}
	sv.sayLeftovers()
	if others, err := os.ReadDir(s.ConfigDir); err == nil {
		for _, other := range others {
			path := s.ConfigDir + "/" + other.Name()
			if strings.HasPrefix(other.Name(), ".") || other.Name() == configFileName {
				continue
			}
			if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
				sv.log.say("note: %s is read and merged by the agent too", path)
			}
		}
	}
	if info, err := os.Stat(s.LogsDir); err != nil || !info.IsDir() {
		sv.log.say("warning: %s does not exist; mount the application's logs volume there.", s.LogsDir)
	}
	if mounts, err := os.ReadFile("/proc/self/mountinfo"); err == nil && !isMountPoint(string(mounts), s.StateDir) {
		sv.log.say("warning: %s is not a volume; after a restart the agent re-sends files it already uploaded.", s.StateDir)
	}
	if status, ok := sv.launch(); !ok {
		return status, nil
	}
	return sv.supervise(), nil
}

// isMountPoint is true when mountinfo (/proc/self/mountinfo) has dir as a mount point.
func isMountPoint(mountinfo, dir string) bool {
	for _, line := range strings.Split(mountinfo, "\n") {
		fields := strings.Fields(line)
		if len(fields) > 4 && fields[4] == dir {
			return true
		}
	}
	return false
}

// prepareConfig deletes what may go, then renders and writes the config for the files on disk now.
func (sv *supervisor) prepareConfig() error {
	sv.deleteUploaded(scanFamilies(sv.s), sv.now())
	config, entries, covered := renderNow(sv.s, sv.template)
	if err := checkRendered(sv.s.Template, config); err != nil {
		return err
	}
	sv.covered = covered
	sv.leftovers = nil
	for _, e := range entries[len(sv.s.Families):] {
		sv.leftovers = append(sv.leftovers, e.FilePath)
	}
	return writeConfig(sv.s.ConfigDir, config)
}

// sayLeftovers says, per leftover entry of the config, where the agent takes it up.
func (sv *supervisor) sayLeftovers() {
	for _, path := range sv.leftovers {
		saved, size := "0", "?"
		if f, ok := statFamilyFile(sv.s.StateDir, path); ok {
			size = itoa(f.Size)
			if f.HasState {
				saved = itoa(f.Uploaded)
			}
		}
		sv.log.say("catching up %s, left over from before this start: the agent has uploaded %s of its %s bytes; deleted by the sidecar once CloudWatch accepted its last byte", path, saved, size)
	}
}

// deleteUploaded deletes the leftovers CloudWatch accepted to their last byte that are quiet.
func (sv *supervisor) deleteUploaded(families []familyFiles, now time.Time) {
	for _, f := range toDelete(families, now, sv.s.LeftoverQuiet) {
		deleteLeftover(sv.s, f, sv.removeFailed, sv.log)
	}
}

// deleteLeftover deletes one file judged deletable and says so; a failure is said once per file
// (failed remembers them). It returns true when the file is gone.
func deleteLeftover(s *settings, f fileState, failed map[string]bool, log logger) bool {
	err := deleteFile(s.StateDir, f)
	switch {
	case err == errChanged:
		// written to or replaced since the scan: judged again at the next pass
		return false
	case err != nil || isStillThere(f.Path):
		if !failed[f.Path] {
			failed[f.Path] = true
			log.say("warning: cannot remove %s (uploaded to its end); give uid %d write access to %s.", f.Path, os.Getuid(), s.LogsDir)
		}
		return false
	default:
		log.say("removed %s: the agent uploaded it to its end (%d bytes)", f.Path, f.Size)
		return true
	}
}

// launch starts the agent and the goroutine that reports its exit; ok false (with the status to
// exit with) when it cannot start.
func (sv *supervisor) launch() (int, bool) {
	cmd := exec.Command(sv.s.AgentBin)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		sv.log.say("error: cannot start the agent %s: %v", sv.s.AgentBin, err)
		return 127, false
	}
	exited := make(chan int, 1)
	go func() {
		cmd.Wait()
		exited <- exitStatus(cmd.ProcessState)
	}()
	sv.agent = cmd
	sv.exited = exited
	return 0, true
}

// exitStatus is a shell's $? for the agent: its exit code, or 128 + the signal that ended it.
func exitStatus(state *os.ProcessState) int {
	if status, ok := state.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return 128 + int(status.Signal())
	}
	return state.ExitCode()
}

func (sv *supervisor) signalAgent(sig syscall.Signal) {
	if sv.agent != nil && sv.agent.Process != nil {
		_ = sv.agent.Process.Signal(sig)
	}
}

// supervise is the loop; it returns the agent's status once it has exited.
func (sv *supervisor) supervise() int {
	sv.ticker = time.NewTicker(checkInterval)
	defer sv.ticker.Stop()
	for {
		select {
		case sig := <-sv.signals:
			if sv.onSignal(sig) {
				sv.pass()
			}
		case <-sv.ticker.C:
			sv.pass()
		case status := <-sv.exited:
			if !sv.stopping {
				sv.log.say("the agent exited with status %d", status)
			}
			return status
		}
		if sv.restartStatus != nil {
			return *sv.restartStatus
		}
	}
}

// onSignal handles a signal; it returns true when a pass should follow at once.
func (sv *supervisor) onSignal(sig os.Signal) bool {
	switch sig {
	case syscall.SIGHUP:
		sv.signalAgent(syscall.SIGHUP)
		return false
	case syscall.SIGTERM, syscall.SIGINT:
		name := "SIGTERM"
		if sig == syscall.SIGINT {
			name = "SIGINT"
		}
		if sv.stopping {
			sv.forced = true
			return true
		}
		sv.stopping = true
		sv.stopDeadline = sv.now().Add(time.Duration(sv.s.StopWait) * time.Second)
		sv.log.say("%s: waiting up to %ds for the agent to upload every file of %s to its end, then stopping it (%s again stops it at once)",
			name, sv.s.StopWait, sv.s.familyNames(), name)
		return true
	}
	return false
}

// pass is one round: while stopping, it stops the agent once everything is uploaded, the wait is
// over or a second signal came; otherwise it deletes what may go and restarts the agent when a
// leftover no entry covers is stuck.
func (sv *supervisor) pass() {
	if sv.toldToStop {
		return
	}
	now := sv.now()
	families := scanFamilies(sv.s)
	if sv.stopping {
		behindNow := behind(families)
		step := decideDrain(sv.forced, behindNow, now, sv.stopDeadline)
		switch step {
		case drainUploaded:
			sv.log.say("every file is uploaded to its end; stopping the agent")
		case drainDeadline:
			sv.log.say("warning: stopping the agent after %ds with these not uploaded to their end: %s (with the logs and state volumes kept, they are read on at the next start)", sv.s.StopWait, behindNow)
		}
		if step != drainWait {
			sv.toldToStop = true
			sv.signalAgent(syscall.SIGTERM)
			return
		}
	}
	sv.deleteUploaded(families, now)
	sv.uncovered = trackUncovered(sv.uncovered, scanFamilies(sv.s), sv.covered, now)
	if sv.stopping {
		return
	}
	if stuck := stuckFiles(sv.uncovered, now); restartDue(stuck, now, sv.lastRestart) {
		sv.restart(stuck, now)
	}
}

// restart stops the agent (SIGTERM; SIGKILL after agentStopTimeout), writes a config for the
// files on disk now and starts it again; the agent's state folder makes it go on where it
// stopped. Signals keep being handled meanwhile; told to stop meanwhile, it does not start the
// agent again and the loop ends with its status.
func (sv *supervisor) restart(stuck []string, now time.Time) {
	sv.log.say("restarting the agent to read %s: no entry of its config covers them (they rotated before its first scan, or were never the newest file at one)", strings.Join(stuck, " "))
	sv.signalAgent(syscall.SIGTERM)
	killAt := time.NewTimer(agentStopTimeout)
	defer killAt.Stop()
	var status int
wait:
	for {
		select {
		case sig := <-sv.signals:
			sv.onSignal(sig)
		case <-killAt.C:
			sv.signalAgent(syscall.SIGKILL)
		case status = <-sv.exited:
			break wait
		}
	}
	if sv.stopping {
		sv.restartStatus = &status
		return
	}
	sv.lastRestart = now
	sv.uncovered = map[string]progress{}
	if err := sv.prepareConfig(); err != nil {
		sv.log.say("error: %s", err.Error())
		code := exConfig
		sv.restartStatus = &code
		return
	}
	sv.sayLeftovers()
	if code, ok := sv.launch(); !ok {
		sv.restartStatus = &code
	}
}
