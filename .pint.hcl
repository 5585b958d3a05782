# Cloudflare's pint on the rendered Prometheus rule files: test/rules/pint.test.ts runs
# `pint --offline lint --fail-on warning` on every stack's, test/e2e/prometheus.test.ts the online
# checks against the end-to-end Prometheus. From the repository root, `pint lint out/<stack>/prometheus/rules.yml`
# reads this file.

# Each objective records the same names (slo:sli_error:ratio_rate<window>) in a group of its own, told
# apart by its `slo` label, which the alerts and dashboards select by. pint matches recordings by name
# only: each group's 30d recording reads its own group's 5m one ({slo="<its own>"}), and pint takes it
# for a read of every other objective's group too, a false positive. Only that name is ignored; a read
# of any other recording across groups, and the check's removed-dependency half, still fail.
check "rule/dependency" {
  ignoreGroupMismatch = ["slo:sli_error:ratio_rate5m"]
}
