package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Defaults of the variables, as the usage text names them.
const (
	defaultLogGroupName = "/app/logs"
	defaultLogFiles     = "app"
	defaultStreamHost   = "{local_hostname}"
	defaultLogsDir      = "/logs"
	// The agent's file_state_folder on Linux (translator/translate/logs/util/file_state_folder.go).
	defaultStateDir             = "/opt/aws/amazon-cloudwatch-agent/logs/state"
	defaultStopWaitSeconds      = 20
	defaultLeftoverQuietSeconds = 10
	defaultConfigDir            = "/etc/cwagentconfig"
	defaultAgentBin             = "/opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent"
	configFileName              = "cwagent.json"
	maxStopWaitSeconds          = 600
	maxLeftoverQuietSeconds     = 86400
)

// CloudWatch Logs accepts only these retention periods (days).
var retentionChoices = []string{"1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653"}

// configError is a bad value: the supervisor says it in one line and exits with EX_CONFIG.
type configError struct{ message string }

func (e *configError) Error() string { return e.message }

func failf(format string, args ...interface{}) error {
	return &configError{fmt.Sprintf(format, args...)}
}

// settings are the variables, checked once. Every value that ends up in the JSON has passed a
// strict character set, so nothing ever needs escaping.
type settings struct {
	Template      string
	ConfigDir     string
	AgentBin      string
	Group         string
	StreamHost    string
	Retention     string // "" when unset
	Region        string // "" when unset
	LogsDir       string
	StateDir      string
	StopWait      int // seconds
	LeftoverQuiet int // seconds
	Families      []family
}

// family is one LOG_FILES or METRICS_FILES name: its files are <LogsDir>/<Name>.log.<suffix>.
type family struct {
	Name    string
	Metrics bool
}

// familyNames is "app, worker", for messages.
func (s *settings) familyNames() string {
	names := make([]string, len(s.Families))
	for i, f := range s.Families {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// getenv reads a variable; empty counts as unset (compose passes "${VAR:-}" through as "").
type getenv func(string) string

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

// loadSettings checks the variables in the order the messages are expected: the first bad one
// stops. templateDefault is the template beside the program.
func loadSettings(env getenv, templateDefault string) (*settings, error) {
	s := &settings{
		Template:  orDefault(env("CW_CONFIG_TEMPLATE"), templateDefault),
		ConfigDir: orDefault(env("CW_CONFIG_DIR"), defaultConfigDir),
		AgentBin:  orDefault(env("CW_AGENT_BIN"), defaultAgentBin),
	}
	var err error
	if s.Group, err = checkLogGroupName(orDefault(env("LOG_GROUP_NAME"), defaultLogGroupName)); err != nil {
		return nil, err
	}
	if s.StreamHost, err = checkStreamHost(orDefault(env("LOG_STREAM_HOST"), defaultStreamHost)); err != nil {
		return nil, err
	}
	if v := env("RETENTION_IN_DAYS"); v != "" {
		if s.Retention, err = checkRetention(v); err != nil {
			return nil, err
		}
	}
	if v := env("AWS_REGION"); v != "" {
		if s.Region, err = checkRegion(v); err != nil {
			return nil, err
		}
	}
	if s.LogsDir, err = checkFolder("LOGS_DIR", orDefault(env("LOGS_DIR"), defaultLogsDir), true); err != nil {
		return nil, err
	}
	if s.StateDir, err = checkFolder("STATE_DIR", orDefault(env("STATE_DIR"), defaultStateDir), false); err != nil {
		return nil, err
	}
	if s.StopWait, err = checkSeconds("STOP_WAIT_SECONDS", orDefault(env("STOP_WAIT_SECONDS"), strconv.Itoa(defaultStopWaitSeconds)), maxStopWaitSeconds); err != nil {
		return nil, err
	}
	if s.LeftoverQuiet, err = checkSeconds("LEFTOVER_QUIET_SECONDS", orDefault(env("LEFTOVER_QUIET_SECONDS"), strconv.Itoa(defaultLeftoverQuietSeconds)), maxLeftoverQuietSeconds); err != nil {
		return nil, err
	}
	if err = s.addFamilies("LOG_FILES", orDefault(env("LOG_FILES"), defaultLogFiles)); err != nil {
		return nil, err
	}
	if v := env("METRICS_FILES"); v != "" {
		if err = s.addFamilies("METRICS_FILES", v); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// printable is the value as one visible line for messages: every byte outside printable ASCII
// shown as '?', at most 80 bytes.
func printable(value string) string {
	out := []byte(value)
	for i, b := range out {
		if b < 0x20 || b > 0x7e {
			out[i] = '?'
		}
	}
	if len(out) > 80 {
		out = out[:80]
	}
	return string(out)
}

// onlyChars is true when every byte of value is in allowed (a regexp character class body).
func onlyChars(value string, class *regexp.Regexp) bool {
	return class.MatchString(value)
}

var (
	groupChars    = regexp.MustCompile(`^[A-Za-z0-9_./#-]*$`)
	baseNameChars = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
	hostChars     = regexp.MustCompile(`^[A-Za-z0-9_.-]*$`)
	regionChars   = regexp.MustCompile(`^[a-z0-9-]*$`)
	regionShape   = regexp.MustCompile(`^[a-z][a-z]-.*[a-z]-[0-9][0-9]?$`)
	pathChars     = regexp.MustCompile(`^[A-Za-z0-9_./-]*$`)
	digits        = regexp.MustCompile(`^[0-9]+$`)
)

func checkLogGroupName(value string) (string, error) {
	if len(value) > 512 {
		return "", failf("LOG_GROUP_NAME is %d characters long; CloudWatch allows at most 512.", len(value))
	}
	if !onlyChars(value, groupChars) {
		return "", failf("LOG_GROUP_NAME '%s' has a character CloudWatch does not allow; use only A-Z a-z 0-9 _ - / . # (e.g. /app/logs).", printable(value))
	}
	if strings.HasPrefix(value, "aws/") {
		return "", failf("LOG_GROUP_NAME '%s' starts with 'aws/', which CloudWatch reserves for AWS services.", value)
	}
	return value, nil
}

// checkFileBaseName checks a name of variable (LOG_FILES or METRICS_FILES).
func checkFileBaseName(name, variable string) error {
	if name == "" {
		return failf("%s has an empty name; give comma-separated base names like 'app,worker'.", variable)
	}
	if len(name) > 64 || !onlyChars(name, baseNameChars) {
		return failf("%s name '%s' is not a plain base name: use 1-64 of A-Z a-z 0-9 _ - (no dots, slashes or wildcards; 'app' collects /logs/app.log.*).", variable, printable(name))
	}
	if c := name[0]; c == '_' || c == '-' {
		return failf("%s name '%s' must start with a letter or digit.", variable, name)
	}
	return nil
}

func checkStreamHost(value string) (string, error) {
	switch value {
	case "{local_hostname}", "{hostname}", "{instance_id}", "{ip_address}":
		return value, nil
	}
	if len(value) > 128 || !onlyChars(value, hostChars) {
		return "", failf("LOG_STREAM_HOST '%s' must be {local_hostname}, {hostname}, {instance_id}, {ip_address} or 1-128 of A-Z a-z 0-9 _ - .", printable(value))
	}
	return value, nil
}

func checkRetention(value string) (string, error) {
	for _, days := range retentionChoices {
		if value == days {
			return value, nil
		}
	}
	return "", failf("RETENTION_IN_DAYS '%s' is not a CloudWatch retention period; use one of: %s (or leave it unset).", printable(value), strings.Join(retentionChoices, " "))
}

func checkRegion(value string) (string, error) {
	if len(value) > 64 || !onlyChars(value, regionChars) {
		return "", failf("AWS_REGION '%s' is not a region name like eu-west-1.", printable(value))
	}
	if !regionShape.MatchString(value) {
		return "", failf("AWS_REGION '%s' is not a region name like eu-west-1.", value)
	}
	return value, nil
}

// checkFolder returns the folder without trailing slashes, or stops. With filePath it must also
// fit the agent's file_path: 1-256 of A-Z a-z 0-9 _ . / - (JSON-safe, no glob characters), and
// plain (no //, . or .. parts) so that the paths the agent's glob yields (cleaned by Go's
// filepath) are the same strings as the ones written into the config.
func checkFolder(name, value string, filePath bool) (string, error) {
	for len(value) > 1 && strings.HasSuffix(value, "/") {
		value = value[:len(value)-1]
	}
	if strings.Contains(value, "\n") {
		return "", failf("%s spans several lines.", name)
	}
	if len(value) < 2 || value[0] != '/' {
		return "", failf("%s '%s' must be an absolute folder other than /, like /logs.", name, printable(value))
	}
	if filePath {
		if len(value) > 256 || !onlyChars(value, pathChars) {
			return "", failf("%s '%s' may hold only A-Z a-z 0-9 _ . / - (at most 256): it goes into the agent's file paths.", name, printable(value))
		}
		probe := value + "/"
		if strings.Contains(probe, "//") || strings.Contains(probe, "/./") || strings.Contains(probe, "/../") {
			return "", failf("%s '%s' must be a plain path (no //, /./ or /../ parts).", name, value)
		}
	}
	return value, nil
}

// checkSeconds returns value when it is a whole number of seconds from 0 to max (leading zeros
// allowed, never octal), or stops.
func checkSeconds(name, value string, max int) (int, error) {
	if !digits.MatchString(value) {
		return 0, failf("%s '%s' is not a whole number of seconds (0 to %d).", name, printable(value), max)
	}
	trimmed := strings.TrimLeft(value, "0")
	if trimmed == "" {
		trimmed = "0"
	}
	n, err := strconv.Atoi(trimmed)
	if len(trimmed) > 6 || err != nil || n > max {
		return 0, failf("%s '%s' is more than %d seconds.", name, value, max)
	}
	return n, nil
}

// addFamilies splits variable's value on commas, trims blanks around each name and refuses
// empties and duplicates (also across LOG_FILES and METRICS_FILES).
func (s *settings) addFamilies(variable, value string) error {
	if strings.Contains(value, "\n") {
		return failf("%s '%s' spans several lines; give comma-separated base names like 'app,worker'.", variable, printable(value))
	}
	metrics := variable == "METRICS_FILES"
	for _, name := range strings.Split(value, ",") {
		name = strings.Trim(name, " \t")
		if err := checkFileBaseName(name, variable); err != nil {
			return err
		}
		for _, known := range s.Families {
			if known.Name != name {
				continue
			}
			if metrics && !known.Metrics {
				return failf("METRICS_FILES lists '%s', which LOG_FILES lists too: EMF lines must have a stream of their own, apart from the application's logs.", name)
			}
			return failf("%s lists '%s' twice.", variable, name)
		}
		s.Families = append(s.Families, family{Name: name, Metrics: metrics})
	}
	return nil
}
