#!/usr/bin/env bash
# Live interoperability check against a VpnCloud 2.x binary: one reference node and one node of this
# project in two network namespaces, for each algorithm and each side as the initiator; both must connect
# with the algorithm asked for and pass pings both ways (optionally across the reference's key rotation).
# Prints a Markdown table; exits non-zero when a case fails.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALGORITHMS=(aes128 aes256 chacha20)
INITIATORS=(java reference)
REF_CMD=
PINGS=50
ROTATION_SECONDS=0
DEVICE_TYPE=tun
declare -A INDEX=([ref]=1 [java]=2)
declare -A VPN_IP=([ref]=10.0.0.1 [java]=10.0.0.2)
declare -A ALGORITHM_NAME=([aes128]=AES128 [aes256]=AES256 [chacha20]=CHACHA20)
# VpnCloud's key rotation runs every 120 s; --rotation keeps pinging past two rotations.
ROTATION_PERIOD=120

usage() {
    cat <<EOF
Usage: bench/interop.sh --ref-cmd PATH [OPTIONS]

A node of VpnCloud 2.x (--ref-cmd, ${VPN_IP[ref]}) and a node of this project (--node-cmd, ${VPN_IP[java]}) in
two network namespaces. For every algorithm and every initiator (only the initiator gets -c): wait until
they connect, check that the Java node reports the algorithm asked for, then $PINGS pings each way.

Options:
  --ref-cmd PATH      the VpnCloud 2.x binary (required)
  --algorithms LIST   comma-separated: aes128, aes256, chacha20 [default: all three]
  --type tun|tap      the device type of both nodes [default: tun]; with tap the nodes switch Ethernet
                      frames (the pings first resolve the other's address by ARP across the overlay)
  --rotation          ping once a second for $((2 * ROTATION_PERIOD + 10)) s more per case, across two key rotations
$BENCH_COMMON_USAGE
The reference's namespace gets a default route over its veth (VpnCloud 2.x looks its own address up with a
route lookup towards a public address, sending nothing, and stops without a route).
EOF
}

parse_options() {
    BENCH_TRIALS=1
    BENCH_SECONDS=1
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --ref-cmd) REF_CMD=$(bench_option_value "$@"); shift 2 ;;
            --algorithms)
                IFS=, read -r -a ALGORITHMS <<<"$(bench_option_value "$@")"
                shift 2
                ;;
            --rotation) ROTATION_SECONDS=$((2 * ROTATION_PERIOD + 10)); shift ;;
            --type) DEVICE_TYPE=$(bench_option_value "$@"); shift 2 ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
    [[ -n $REF_CMD ]] || bench_usage_error "--ref-cmd is required"
    [[ -x $REF_CMD ]] || bench_usage_error "$REF_CMD is not an executable file"
    [[ $DEVICE_TYPE == tun || $DEVICE_TYPE == tap ]] || bench_usage_error "--type must be tun or tap, not $DEVICE_TYPE"
    local algorithm
    for algorithm in "${ALGORITHMS[@]}"; do
        [[ -n ${ALGORITHM_NAME[$algorithm]:-} ]] || bench_usage_error "unknown algorithm $algorithm"
    done
    bench_finish_options
    [[ $BENCH_SMOKE == 1 ]] && PINGS=10
    return 0
}

# Starts NAME (ref or java) with ALGORITHM; with CONNECT=1 it connects to the other node.
start_node() {
    local name=$1 algorithm=$2 connect=$3 other cmd args
    other=$([[ $name == ref ]] && echo java || echo ref)
    cmd=$([[ $name == ref ]] && echo "$REF_CMD" || echo "$BENCH_NODE_CMD")
    args=(--password "$BENCH_PASSWORD" --ip "${VPN_IP[$name]}/24" -l "$BENCH_VPN_PORT" -d "$BENCH_DEVICE"
        --algorithm "$algorithm" --type "$DEVICE_TYPE")
    [[ $connect == 1 ]] && args+=(-c "$(bench_underlay_ip "${INDEX[$other]}"):$BENCH_VPN_PORT")
    BENCH_NODE_CMD=$cmd bench_start_node "$name" "${args[@]}"
}

vpn_ping_works() {
    bench_require_alive ref java || return
    bench_can_ping java "${VPN_IP[ref]}"
}

# "received/sent" of a ping output.
ping_received() {
    awk '/packets transmitted/ { print $4 "/" $1 }' "$1"
}

declare -a ROWS=()
FAILURES=0

run_case() {
    local algorithm=$1 initiator=$2 start_ms connect_s to_ref to_java algo_seen result=ok rotation=-
    local case_out="$BENCH_OUT/$algorithm-$initiator"
    mkdir -p "$case_out"
    start_node ref "$algorithm" "$([[ $initiator == reference ]] && echo 1 || echo 0)"
    start_node java "$algorithm" "$([[ $initiator == java ]] && echo 1 || echo 0)"
    start_ms=$(bench_now_ms)
    if bench_wait_until 60 "a ping through the VPN ($algorithm, $initiator initiates)" vpn_ping_works; then
        connect_s=$(bench_calc 'printf "%.1f", (n - s) / 1000' -v n="$(bench_now_ms)" -v s="$start_ms")
        bench_ping java "${VPN_IP[ref]}" "$PINGS" "$case_out/java-to-ref.txt"
        bench_ping ref "${VPN_IP[java]}" "$PINGS" "$case_out/ref-to-java.txt"
        to_ref=$(ping_received "$case_out/java-to-ref.txt")
        to_java=$(ping_received "$case_out/ref-to-java.txt")
        [[ $to_ref == "$PINGS/$PINGS" && $to_java == "$PINGS/$PINGS" ]] || result=FAILED
        if ((ROTATION_SECONDS > 0)); then
            bench_run ip netns exec "$(bench_ns java)" ping -q -c "$ROTATION_SECONDS" -i 1 -W 1 "${VPN_IP[ref]}" \
                >"$case_out/rotation.txt" 2>&1 || true
            rotation="$(ping_received "$case_out/rotation.txt") in ${ROTATION_SECONDS} s"
            [[ $(ping_received "$case_out/rotation.txt") == "$ROTATION_SECONDS/$ROTATION_SECONDS" ]] || result=FAILED
        fi
    else
        connect_s=-
        to_ref=-
        to_java=-
        result=FAILED
        bench_show_log ref
        bench_show_log java
    fi
    algo_seen=$({ grep -o "connected to [^ ]* ([0-9a-f]*, [A-Z0-9]*)" "$BENCH_OUT/java.log" || true; } | tail -n 1 \
        | sed 's/.*, \([A-Z0-9]*\))/\1/')
    [[ $algo_seen == "${ALGORITHM_NAME[$algorithm]}" ]] || result=FAILED
    bench_stop java
    bench_stop ref
    mv "$BENCH_OUT/java.log" "$case_out/java.log"
    mv "$BENCH_OUT/ref.log" "$case_out/ref.log"
    [[ $result == ok ]] || FAILURES=$((FAILURES + 1))
    ROWS+=("| $algorithm | $initiator | ${algo_seen:-none} | $connect_s | $to_ref | $to_java | $rotation | $result |")
    bench_log "$algorithm, $initiator initiates: $result"
}

print_table() {
    bench_print_run_header "Interoperability: $(basename "$REF_CMD") ($("$REF_CMD" --version 2>/dev/null || echo unknown version)) and this project's node"
    printf -- '- reference command: %s\n' "$REF_CMD"
    printf -- '- device type: %s\n' "$DEVICE_TYPE"
    printf '\n| algorithm | initiator | algorithm in use | first ping answered after (s) | pings Java to reference | pings reference to Java | pings Java to reference across key rotations (1 a second) | result |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    printf '%s\n' "${ROWS[@]}"
}

main() {
    local algorithm initiator
    parse_options "$@"
    bench_begin interop
    bench_create_hub
    bench_create_node_ns ref "${INDEX[ref]}"
    bench_create_node_ns java "${INDEX[java]}"
    ip -n "$(bench_ns ref)" route add default dev veth0
    for algorithm in "${ALGORITHMS[@]}"; do
        for initiator in "${INITIATORS[@]}"; do
            run_case "$algorithm" "$initiator"
        done
    done
    print_table
    ((FAILURES == 0)) || bench_die "$FAILURES case(s) failed"
}

main "$@"
