// Command cwagent-supervisor is the CloudWatch agent sidecar's entrypoint: it checks the
// variables, renders the agent's JSON config from config.template.json, writes it where the agent
// reads it in container mode, starts the agent as its child and supervises it.
//
// Leftovers (docs/agent.md, "Outages: leftover files"). A family's wildcard entry follows only
// its newest file, so after an outage across a rotation the older files would never be read. At
// every start each file of a family but the newest (a "leftover") gets an entry of its own for
// its exact path: the agent reads it on from the offset kept in its state folder. Every entry has
// auto_removal false: the sidecar, not the agent, deletes files. Then the supervisor
//   - deletes any file of a family but the newest once the agent's saved offset has reached its
//     size (CloudWatch accepted its last byte) and it has not been modified for
//     LEFTOVER_QUIET_SECONDS; never the newest file, never a name outside the family rule, never
//     a link or anything but a regular file;
//   - restarts the agent with a new config when a leftover that no entry covers makes no
//     progress for a few seconds (a rotation before its first scan); the state folder makes the
//     restart safe;
//   - on SIGTERM or SIGINT waits, at most STOP_WAIT_SECONDS, until the agent's saved offsets have
//     reached the end of every family file, then stops the agent with SIGTERM (a second signal
//     stops it at once); SIGHUP is passed on. It exits with the agent's status, also when the
//     agent exits by itself.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// exConfig is the exit status for a bad value (EX_CONFIG, sysexits.h).
const exConfig = 78

const usageText = `Usage: cwagent-supervisor [--print-config | --cleanup-once | healthcheck | --help]

  (none)          validate, write the config, start the agent and supervise it
  --print-config  print the config it would write now (an entry per leftover file too)
  --cleanup-once  delete the files CloudWatch accepted to their last byte (never a family's
                  newest), then exit
  healthcheck     exit 0 when the config is in place and the agent runs (the image's HEALTHCHECK)

Every file of a family but the newest is deleted by the sidecar once CloudWatch accepted its
last byte (the agent's saved offset is the file's size) and it has been left alone for
LEFTOVER_QUIET_SECONDS; the agent's own auto_removal is off in every entry.

Environment:
  LOG_GROUP_NAME     log group (default /app/logs; 1-512 of A-Z a-z 0-9 _ - / . #)
  LOG_FILES          comma-separated file base names (default app -> /logs/app.log.*)
  METRICS_FILES      optional: comma-separated base names of CloudWatch metrics (EMF) files, each its
                     own entry and stream (metrics -> /logs/metrics.log.*, stream metrics/<host>)
  LOG_STREAM_HOST    host part of the stream <app>/<host> (default {local_hostname})
  RETENTION_IN_DAYS  optional: 1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653
  AWS_REGION         written to agent.region; required off AWS (on ECS, EKS, EC2 the agent finds it)
  AWS_EC2_METADATA_DISABLED  true: never ask the EC2 instance metadata whether this is EC2
  LOGS_DIR           the application's logs folder, as the agent sees it (default /logs)
  STATE_DIR          the agent's state folder (default /opt/aws/amazon-cloudwatch-agent/logs/state)
  STOP_WAIT_SECONDS  on SIGTERM, how long at most to wait for the files' ends to be uploaded (default 20)
  LEFTOVER_QUIET_SECONDS  a file CloudWatch accepted to its last byte is deleted once unmodified this long (default 10)
  CW_CONFIG_DIR      where the config is written (default /etc/cwagentconfig)
  CW_CONFIG_TEMPLATE the template (default config.template.json beside the program)
  CW_AGENT_BIN       agent start binary (default /opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent)
`

// logger writes the supervisor's lines, each prefixed "cloudwatch-agent: ", to stderr.
type logger struct{ w io.Writer }

func (l logger) say(format string, args ...interface{}) {
	fmt.Fprintf(l.w, "cloudwatch-agent: "+format+"\n", args...)
}

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole program but the process exit; it returns the exit status.
func run(args []string, env getenv, stdout, stderr io.Writer) int {
	log := logger{stderr}
	stop := func(err error) int {
		var bad *configError
		if errors.As(err, &bad) {
			log.say("error: %s", bad.message)
			return exConfig
		}
		log.say("error: %v", err)
		return 1
	}
	mode := "run"
	if len(args) > 0 {
		switch args[0] {
		case "--print-config":
			mode = "print"
		case "--cleanup-once":
			mode = "cleanup"
		case "healthcheck":
			mode = "healthcheck"
		case "-h", "--help":
			fmt.Fprint(stdout, usageText)
			return 0
		default:
			fmt.Fprint(stderr, usageText)
			return stop(failf("unknown argument '%s'.", printable(args[0])))
		}
	}
	if len(args) > 1 {
		return stop(failf("expected at most one argument."))
	}
	if mode == "healthcheck" {
		return healthcheck(orDefault(env("CW_CONFIG_DIR"), defaultConfigDir), "/proc", stderr)
	}

	templateDefault := "config.template.json"
	if self, err := os.Executable(); err == nil {
		templateDefault = filepath.Join(filepath.Dir(self), "config.template.json")
	}
	templatePath := orDefault(env("CW_CONFIG_TEMPLATE"), templateDefault)
	templateBytes, err := os.ReadFile(templatePath)
	if err != nil {
		return stop(failf("config template '%s' is missing (set CW_CONFIG_TEMPLATE).", templatePath))
	}
	template := string(templateBytes)
	s, err := loadSettings(env, templateDefault)
	if err != nil {
		return stop(err)
	}
	if err := checkTemplate(s.Template, template); err != nil {
		return stop(err)
	}
	if mode == "cleanup" {
		cleanupOnce(s, wallClock(), log)
		return 0
	}
	config, _, _ := renderNow(s, template)
	if err := checkRendered(s.Template, config); err != nil {
		return stop(err)
	}
	if mode == "print" {
		fmt.Fprint(stdout, config)
		return 0
	}
	sv := newSupervisor(s, template, env, log)
	status, err := sv.start()
	if err != nil {
		return stop(err)
	}
	return status
}

// renderNow renders the config for the files on disk now; it returns its entries and the
// leftovers it covers.
func renderNow(s *settings, template string) (string, []entry, map[string]bool) {
	entries, covered := planEntries(s.LogsDir, scanFamilies(s))
	values := renderValues{Group: s.Group, StreamHost: s.StreamHost, Retention: s.Retention, Region: s.Region}
	return render(template, values, entries), entries, covered
}
