// Command render-templates parses and executes notification templates the way Alertmanager and
// Grafana do: Alertmanager's template package (its DefaultFuncs, missingkey=zero, text/template
// for Slack and e-mail subjects, html/template for e-mail bodies) on Alertmanager's data, or on
// Grafana's documented notification data (ExtendedData) with Grafana's template group loaded
// first. Reads a JSON request on stdin, writes the outputs as JSON on stdout; any template that
// does not parse or execute is named on stderr, with exit code 1.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/alertmanager/template"
)

// GrafanaAlert is one alert as Grafana's notification templates see it (its template reference).
type GrafanaAlert struct {
	Status       string             `json:"status"`
	Labels       template.KV        `json:"labels"`
	Annotations  template.KV        `json:"annotations"`
	StartsAt     time.Time          `json:"startsAt"`
	EndsAt       time.Time          `json:"endsAt"`
	GeneratorURL string             `json:"generatorURL"`
	Fingerprint  string             `json:"fingerprint"`
	SilenceURL   string             `json:"silenceURL"`
	DashboardURL string             `json:"dashboardURL"`
	PanelURL     string             `json:"panelURL"`
	Values       map[string]float64 `json:"values"`
	ValueString  string             `json:"valueString"`
}

// GrafanaAlerts is Grafana's []Alert with its Firing and Resolved filters.
type GrafanaAlerts []GrafanaAlert

func (as GrafanaAlerts) filter(status string) GrafanaAlerts {
	out := GrafanaAlerts{}
	for _, a := range as {
		if a.Status == status {
			out = append(out, a)
		}
	}
	return out
}

func (as GrafanaAlerts) Firing() GrafanaAlerts   { return as.filter("firing") }
func (as GrafanaAlerts) Resolved() GrafanaAlerts { return as.filter("resolved") }

// GrafanaData is what dot holds in a Grafana notification template (ExtendedData).
type GrafanaData struct {
	Receiver          string        `json:"receiver"`
	Status            string        `json:"status"`
	Alerts            GrafanaAlerts `json:"alerts"`
	GroupLabels       template.KV   `json:"groupLabels"`
	CommonLabels      template.KV   `json:"commonLabels"`
	CommonAnnotations template.KV   `json:"commonAnnotations"`
	ExternalURL       string        `json:"externalURL"`
	GroupKey          string        `json:"groupKey"`
	TruncatedAlerts   int           `json:"truncatedAlerts"`
}

type renderCase struct {
	Name string `json:"name"`
	// "alertmanager" or "grafana": whose data, and whether Definitions are loaded.
	Engine string `json:"engine"`
	// "text" or "html" (Alertmanager's e-mail html field).
	Mode     string          `json:"mode"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
}

type request struct {
	// Grafana's notification template group ({{ define }} blocks) the grafana cases refer to.
	Definitions string       `json:"definitions"`
	Cases       []renderCase `json:"cases"`
}

type result struct {
	Name   string `json:"name"`
	Output string `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
}

func render(c renderCase, am, grafana *template.Template) (string, error) {
	var data interface{}
	tmpl := am
	switch c.Engine {
	case "alertmanager":
		data = &template.Data{}
	case "grafana":
		data, tmpl = &GrafanaData{}, grafana
	default:
		return "", fmt.Errorf("unknown engine %q", c.Engine)
	}
	if err := json.Unmarshal(c.Data, data); err != nil {
		return "", fmt.Errorf("sample data: %w", err)
	}
	if c.Mode == "html" {
		return tmpl.ExecuteHTMLString(c.Template, data)
	}
	return tmpl.ExecuteTextString(c.Template, data)
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "render-templates: request: %v\n", err)
		os.Exit(2)
	}
	am, err := template.FromGlobs()
	if err != nil {
		fmt.Fprintf(os.Stderr, "render-templates: Alertmanager's default templates: %v\n", err)
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "render-templates-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "render-templates: %v\n", err)
		os.Exit(2)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "grafana.tmpl")
	failed := false
	grafana, err := template.FromGlobs()
	if err == nil {
		err = os.WriteFile(file, []byte(req.Definitions), 0o600)
	}
	if err == nil {
		grafana, err = template.FromGlobs(file)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "render-templates: Grafana's template group does not parse: %v\n", err)
		failed = true
	}
	results := []result{}
	for _, c := range req.Cases {
		if c.Engine == "grafana" && grafana == nil {
			continue
		}
		out, err := render(c, am, grafana)
		if err != nil {
			fmt.Fprintf(os.Stderr, "render-templates: %s: %v\n", c.Name, err)
			failed = true
			results = append(results, result{Name: c.Name, Error: err.Error()})
			continue
		}
		results = append(results, result{Name: c.Name, Output: out})
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintf(os.Stderr, "render-templates: %v\n", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}
