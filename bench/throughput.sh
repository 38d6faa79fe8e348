#!/usr/bin/env bash
# TCP throughput (iperf3), ping RTT and CPU per GByte through the VPN between two nodes, for each
# algorithm (and with --type tap for TUN and TAP devices), next to the bare veth measured in the same
# run. Prints a Markdown table.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALGORITHMS=(aes128 chacha20 plain)
# 1: the underlay segments UDP like a real network card (--nic-like).
NIC_LIKE=0
# The device types measured, each with every algorithm (--type).
DEVICE_TYPES=(tun)
# A second node command measured in the same run, in a column of its own (--compare-cmd).
COMPARE_CMD=
COMPARE_LABEL=
# Node "a" listens, node "b" connects; iperf3 and ping run from a to b.
A_INDEX=1
B_INDEX=2
A_VPN_IP=10.0.0.1
B_VPN_IP=10.0.0.2

usage() {
    cat <<EOF
Usage: bench/throughput.sh [OPTIONS]

Measures, between two network namespaces joined by veth pairs and a bridge:
  - TCP throughput with iperf3 (median, min and max of --trials runs of --seconds each) on the bare
    veth and through the VPN for each algorithm, and the ratio VPN / bare veth;
  - CPU seconds (user + system) of both node processes per GByte carried by iperf3;
  - average ping round trip through the VPN and on the bare veth.

Options:
  --algorithms LIST  comma-separated algorithms to measure [default: aes128,chacha20,plain]; an entry
                     may add node options after a colon, so that variants are measured side by side
                     in one run, e.g. aes128,aes128:--no-offload
  --type tun|tap     the device type of the nodes [default: tun]; tap measures TAP devices (the
                     overlay addresses on them, Ethernet frames through the VPN) and TUN devices
                     in the same run, so that their ratios to the bare veth are side by side
  --compare-cmd PATH another VpnCloud-compatible node command (such as the reference's vpncloud),
                     measured in the same run with the same options, in a column of its own; the
                     two take turns for every algorithm and device type
  --compare-label TEXT  its name in the table [default: the file name of --compare-cmd]
  --nic-like         make the underlay segment UDP like a real network card: UDP segmentation offload
                     off on each node's veth (ethtool -K veth0 tx-udp-segmentation off), so a node's
                     batched send crosses as separate datagrams instead of one super-datagram that
                     arrives whole at the receiving socket
$BENCH_COMMON_USAGE
Defaults: --trials 3 --seconds 10.
EOF
}

parse_options() {
    BENCH_TRIALS=3
    BENCH_SECONDS=10
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --algorithms)
                IFS=, read -r -a ALGORITHMS <<<"$(bench_option_value "$@")"
                shift 2
                ;;
            --nic-like) NIC_LIKE=1; shift ;;
            --compare-cmd) COMPARE_CMD=$(bench_option_value "$@"); shift 2 ;;
            --compare-label) COMPARE_LABEL=$(bench_option_value "$@"); shift 2 ;;
            --type)
                case $(bench_option_value "$@") in
                    tun) DEVICE_TYPES=(tun) ;;
                    tap) DEVICE_TYPES=(tun tap) ;;
                    *) bench_usage_error "--type must be tun or tap, not '$2'" ;;
                esac
                shift 2
                ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
    bench_finish_options
    if [[ -n $COMPARE_CMD ]]; then
        [[ -x $COMPARE_CMD ]] || bench_usage_error "--compare-cmd $COMPARE_CMD is not an executable file"
        [[ -n $COMPARE_LABEL ]] || COMPARE_LABEL=$(basename "$COMPARE_CMD")
    elif [[ -n $COMPARE_LABEL ]]; then
        bench_usage_error "--compare-label needs --compare-cmd"
    fi
}

# The columns of the table: "node" (--node-cmd) and, with --compare-cmd, "compare".
columns() {
    if [[ -n $COMPARE_CMD ]]; then printf '%s\n' node compare; else printf '%s\n' node; fi
}

# Per measured path ("bare" or an algorithm): throughput samples in Gbit/s, bytes and CPU ticks.
declare -A GBITS=() BYTES=() CPU_TICKS=() RTT_MS=() FAILED=()

# One iperf3 run from a to ADDRESS; appends the result to the samples of PATH_NAME.
run_iperf3() {
    local path_name=$1 address=$2 trial=$3 json received bytes bps
    json="$BENCH_OUT/iperf3-$path_name-$trial.json"
    if ! bench_run timeout $((BENCH_SECONDS + 30)) ip netns exec "$(bench_ns a)" \
        iperf3 -c "$address" -t "$BENCH_SECONDS" -J --connect-timeout 5000 >"$json" 2>&1; then
        bench_log "iperf3 to $address failed ($path_name, run $trial); see $json"
        return 1
    fi
    received=$(bench_iperf3_received "$json")
    [[ -n $received ]] || { bench_log "no result in $json"; return 1; }
    read -r bytes _ bps <<<"$received"
    GBITS[$path_name]+="$(bench_calc 'printf "%.4f", b / 1e9' -v b="$bps") "
    BYTES[$path_name]=$((${BYTES[$path_name]:-0} + bytes))
    bench_log "$path_name run $trial: $(bench_calc 'printf "%.3f", b / 1e9' -v b="$bps") Gbit/s"
}

measure_bare() {
    local trial
    bench_log "bare veth: $BENCH_TRIALS x ${BENCH_SECONDS} s"
    for ((trial = 1; trial <= BENCH_TRIALS; trial++)); do
        run_iperf3 bare "$(bench_underlay_ip $B_INDEX)" "$trial" || FAILED[bare]=1
    done
    bench_ping a "$(bench_underlay_ip $B_INDEX)" $((BENCH_SECONDS * 10)) "$BENCH_OUT/ping-bare.txt"
    RTT_MS[bare]=$(bench_ping_avg_ms "$BENCH_OUT/ping-bare.txt")
}

vpn_ready() {
    bench_require_alive a b || return
    bench_can_ping a "$B_VPN_IP"
}

node_ticks() {
    printf '%s' $(($(bench_cpu_ticks "$(bench_pid a)") + $(bench_cpu_ticks "$(bench_pid b)")))
}

# The name under which the samples of ENTRY on a TYPE device in COLUMN are kept: the entry itself for
# TUN, as before TAP was measured, "tap-ENTRY" for TAP; "compare-" in front for --compare-cmd.
path_name() {
    local column=$1 type=$2 entry=$3 prefix=
    [[ $column == compare ]] && prefix=compare-
    if [[ $type == tun ]]; then printf '%s%s' "$prefix" "$entry"; else printf '%s%s-%s' "$prefix" "$type" "$entry"; fi
}

# ENTRY is an algorithm, optionally followed by ":" and extra node options (split at spaces); TYPE
# is the device type, tun or tap (the overlay addresses are on the device either way); COLUMN says
# which node command runs, node (--node-cmd) or compare (--compare-cmd).
measure_algorithm() {
    local column=$1 type=$2 entry=$3 algorithm=${3%%:*} extra=() trial before common path
    path=$(path_name "$column" "$type" "$entry")
    # bench_start_node starts $BENCH_NODE_CMD; for the compare column it is the other command.
    local BENCH_NODE_CMD=$BENCH_NODE_CMD
    [[ $column == compare ]] && BENCH_NODE_CMD=$COMPARE_CMD
    [[ $entry == *:* ]] && read -r -a extra <<<"${entry#*:}"
    bench_log "$path: starting the nodes"
    common=(--password "$BENCH_PASSWORD" --algorithm "$algorithm" --type "$type" -d "$BENCH_DEVICE"
        -l "$BENCH_VPN_PORT" ${extra[@]+"${extra[@]}"})
    bench_start_node a "${common[@]}" --ip "$A_VPN_IP/24"
    bench_start_node b "${common[@]}" --ip "$B_VPN_IP/24" -c "$(bench_underlay_ip $A_INDEX):$BENCH_VPN_PORT"
    if ! bench_wait_until 60 "a ping from a to $B_VPN_IP through the VPN" vpn_ready; then
        bench_show_log a
        bench_show_log b
        FAILED[$path]=1
    else
        bench_log "$path: $BENCH_TRIALS x ${BENCH_SECONDS} s through the VPN"
        for ((trial = 1; trial <= BENCH_TRIALS; trial++)); do
            before=$(node_ticks)
            run_iperf3 "$path" "$B_VPN_IP" "$trial" || FAILED[$path]=1
            CPU_TICKS[$path]=$((${CPU_TICKS[$path]:-0} + $(node_ticks) - before))
        done
        bench_ping a "$B_VPN_IP" $((BENCH_SECONDS * 10)) "$BENCH_OUT/ping-$path.txt"
        RTT_MS[$path]=$(bench_ping_avg_ms "$BENCH_OUT/ping-$path.txt")
    fi
    bench_stop a
    bench_stop b
}

# "0.62 Gbit/s (0.60–0.65)" from the samples of PATH_NAME, or "failed".
throughput_cell() {
    local samples=${GBITS[$1]:-}
    [[ -n $samples && -z ${FAILED[$1]:-} ]] || { printf 'failed'; return; }
    # shellcheck disable=SC2086 # one sample per word
    bench_stats $samples | awk '{ printf "%.3g Gbit/s (%.3g–%.3g)", $1, $2, $3 }'
}

ratio_cell() {
    local vpn bare
    [[ -n ${GBITS[$1]:-} && -z ${FAILED[$1]:-} && -n ${GBITS[bare]:-} && -z ${FAILED[bare]:-} ]] \
        || { printf 'failed'; return; }
    # shellcheck disable=SC2086 # one sample per word
    read -r vpn _ <<<"$(bench_stats ${GBITS[$1]})"
    # shellcheck disable=SC2086
    read -r bare _ <<<"$(bench_stats ${GBITS[bare]})"
    bench_calc 'printf "%.3g", v / b' -v v="$vpn" -v b="$bare"
}

cpu_cell() {
    local ticks=${CPU_TICKS[$1]:-} bytes=${BYTES[$1]:-0}
    [[ -n $ticks && $bytes -gt 0 && -z ${FAILED[$1]:-} ]] || { printf 'failed'; return; }
    bench_calc 'printf "%.1f", t / hz / (bytes / 1e9)' -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v bytes="$bytes"
}

rtt_cell() {
    local rtt=${RTT_MS[$1]:-}
    [[ -n $rtt ]] || { printf 'failed'; return; }
    printf '%s ms' "$rtt"
}

# "aes128" when only TUN is measured, "aes128, TAP" next to "aes128, TUN" otherwise.
row_label() {
    local type=$1 entry=$2
    if [[ ${#DEVICE_TYPES[@]} == 1 ]]; then printf '%s' "$entry"; else printf '%s, %s' "$entry" "${type^^}"; fi
}

# One row per algorithm and device type: "| TEXT, LABEL SUFFIX | CELL(path) [| CELL(compare path)] | LAST |".
print_rows() {
    local text=$1 suffix=$2 cell=$3 last=$4 entry type column
    for entry in "${ALGORITHMS[@]}"; do
        for type in "${DEVICE_TYPES[@]}"; do
            printf '| %s, %s%s |' "$text" "$(row_label "$type" "$entry")" "$suffix"
            for column in $(columns); do
                printf ' %s |' "$("$cell" "$(path_name "$column" "$type" "$entry")")"
            done
            if [[ -n $last ]]; then printf ' %s |\n' "$last"; else printf ' |\n'; fi
        done
    done
}

print_table() {
    local runs modes
    runs="iperf3, $BENCH_SECONDS s, median of $BENCH_TRIALS (min–max)"
    local underlay="veth and a bridge"
    [[ $NIC_LIKE == 1 ]] && underlay="veth (UDP segmentation offload off, like a real NIC) and a bridge"
    modes="TUN mode"
    [[ ${#DEVICE_TYPES[@]} == 2 ]] && modes="TUN and TAP mode"
    bench_print_run_header "Throughput: two namespaces joined by $underlay, $modes"
    if [[ -n $COMPARE_CMD ]]; then
        printf -- '- compared with: %s (%s), in turns with the node command\n' "$COMPARE_LABEL" "$COMPARE_CMD"
        printf '\n| measure | %s | %s | bare veth |\n|---|---|---|---|\n' "$BENCH_LABEL" "$COMPARE_LABEL"
    else
        printf '\n| measure | %s | bare veth |\n|---|---|---|\n' "$BENCH_LABEL"
    fi
    print_rows "TCP throughput" " ($runs)" throughput_cell "$(throughput_cell bare)"
    print_rows "ratio VPN / bare veth" "" ratio_cell 1
    print_rows "CPU seconds of both nodes per GByte carried" "" cpu_cell ""
    print_rows "ping RTT average" "" rtt_cell "$(rtt_cell bare)"
}

# Keeps the overlay off the underlay in node NAME's namespace: no ARP answers for addresses of other
# interfaces, and the overlay unreachable but through the VPN device (whose route is more specific). With
# --compare-cmd also a default route: the reference looks one up at start and stops without it.
isolate_overlay() {
    local ns
    ns=$(bench_ns "$1")
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1
    ip -n "$ns" route add unreachable 10.0.0.0/24 metric 4096
    [[ -z $COMPARE_CMD ]] || ip -n "$ns" route add default dev veth0
}

main() {
    local algorithm type column
    parse_options "$@"
    bench_begin throughput
    bench_create_pair $A_INDEX $B_INDEX
    isolate_overlay a
    isolate_overlay b
    if [[ $NIC_LIKE == 1 ]]; then
        bench_segment_like_a_nic a
        bench_segment_like_a_nic b
    fi
    bench_start_in_ns iperf3-server "$(bench_ns b)" "$BENCH_OUT/iperf3-server.log" iperf3 -s
    bench_require_bare_veth $B_INDEX
    bench_wait_until 10 "the iperf3 server" bench_listening b tcp 5201 || bench_die "iperf3 -s did not start"
    measure_bare
    for algorithm in "${ALGORITHMS[@]}"; do
        for type in "${DEVICE_TYPES[@]}"; do
            for column in $(columns); do
                measure_algorithm "$column" "$type" "$algorithm"
            done
        done
    done
    print_table
    [[ ${#FAILED[@]} == 0 ]] || bench_die "some measurements failed: ${!FAILED[*]}"
}

main "$@"
