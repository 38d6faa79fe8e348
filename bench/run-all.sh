#!/usr/bin/env bash
# Runs throughput.sh, failover.sh and latency.sh with the same node command, then stall.sh (this build's
# stall scenarios; not in --smoke), and prints their tables.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

THROUGHPUT_TRIALS=
FAILOVER_TRIALS=
THROUGHPUT_OPTIONS=()
FAILOVER_OPTIONS=()

usage() {
    cat <<EOF
Usage: bench/run-all.sh [OPTIONS]

Runs bench/throughput.sh, then bench/failover.sh, then bench/latency.sh, then bench/stall.sh (this
tree's build; left out with --smoke), and prints their tables.
Their own defaults apply unless given here (throughput: 3 runs of 10 s; failover: 5 trials per mode
after 3 s of probing; latency: 3 rounds after 6 s of iperf3 each).

Options:
  --throughput-trials N  --trials for throughput.sh only
  --failover-trials N    --trials for failover.sh only
  --algorithms LIST      passed to throughput.sh
  --type tun|tap         passed to throughput.sh (tap: TAP devices next to TUN devices)
  --modes LIST           passed to failover.sh
  --subsecond            passed to failover.sh: also measure with sub-second timers
$BENCH_COMMON_USAGE
--trials and --seconds given here go to all scripts; logs go to DIR/throughput, DIR/failover and
DIR/latency.
EOF
}

parse_options() {
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --throughput-trials) THROUGHPUT_TRIALS=$(bench_option_value "$@"); shift 2 ;;
            --failover-trials) FAILOVER_TRIALS=$(bench_option_value "$@"); shift 2 ;;
            --algorithms | --type) THROUGHPUT_OPTIONS+=("$1" "$(bench_option_value "$@")"); shift 2 ;;
            --modes) FAILOVER_OPTIONS+=("$1" "$(bench_option_value "$@")"); shift 2 ;;
            --subsecond) FAILOVER_OPTIONS+=("$1"); shift ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
}

# The options both scripts get, then the per-script trials (a later --trials wins).
common_options() {
    local script_trials=$1
    printf '%s\n' --node-cmd "$BENCH_NODE_CMD" --out "$BENCH_OUT/$2"
    [[ -n $BENCH_LABEL ]] && printf '%s\n' --label "$BENCH_LABEL"
    [[ $BENCH_SMOKE == 1 ]] && printf '%s\n' --smoke
    [[ -n $BENCH_SECONDS ]] && printf '%s\n' --seconds "$BENCH_SECONDS"
    [[ -n $BENCH_TRIALS ]] && printf '%s\n' --trials "$BENCH_TRIALS"
    [[ -n $script_trials ]] && printf '%s\n' --trials "$script_trials"
    return 0
}

main() {
    local status=0 options
    parse_options "$@"
    [[ $(id -u) == 0 ]] || bench_die "run as root: network namespaces and TUN devices need it"
    [[ -n $BENCH_OUT ]] || BENCH_OUT="$BENCH_DIR/out/run-all-$(date -u +%Y%m%dT%H%M%SZ)"
    bench_take_lock # held for both scripts, which run one after the other
    trap bench_remove_namespaces EXIT

    mapfile -t options < <(common_options "$THROUGHPUT_TRIALS" throughput)
    "$BENCH_DIR/throughput.sh" "${options[@]}" "${THROUGHPUT_OPTIONS[@]}" || status=1
    echo
    mapfile -t options < <(common_options "$FAILOVER_TRIALS" failover)
    "$BENCH_DIR/failover.sh" "${options[@]}" "${FAILOVER_OPTIONS[@]}" || status=1
    echo
    mapfile -t options < <(common_options "" latency)
    "$BENCH_DIR/latency.sh" "${options[@]}" || status=1
    # The stall scenarios need the benchmarks module, which a build of the command alone does not make; a
    # smoke run (as in the test suite, where that module is built after the one that runs it) leaves them out.
    if [[ $BENCH_SMOKE == 1 ]]; then
        bench_log "stall.sh left out of the smoke run; run bench/stall.sh --smoke on its own"
    else
        echo
        "$BENCH_DIR/stall.sh" --out "$BENCH_OUT/stall" || status=1
    fi
    [[ $status == 0 ]] || bench_log "at least one script failed; logs in $BENCH_OUT"
    return "$status"
}

main "$@"
