package zookeeper

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The checks are pure functions of what was observed; their errors say
// what was wrong in the first line and show the evidence below it.

// OneLeader checks that every given member serves in one quorum: exactly
// one leader, every other member a follower.
func OneLeader(states map[string]ServerState) error {
	if len(states) == 0 {
		return errors.New("no member states to judge")
	}
	var leaders, others []string
	for _, m := range sortedKeys(states) {
		switch states[m].Mode {
		case Leader:
			leaders = append(leaders, m)
		case Follower:
		default:
			others = append(others, m)
		}
	}
	switch {
	case len(leaders) > 1:
		return fmt.Errorf("%d leaders (%s): the ensemble is split%s", len(leaders), strings.Join(leaders, ", "), evidence(states))
	case len(others) > 0:
		return fmt.Errorf("member(s) %s neither leader nor follower%s", strings.Join(others, ", "), evidence(states))
	case len(leaders) == 0:
		return fmt.Errorf("no leader among %d followers%s", len(states), evidence(states))
	}
	return nil
}

// LeaderOf returns the member that is leader, or "".
func LeaderOf(states map[string]ServerState) string {
	for _, m := range sortedKeys(states) {
		if states[m].Mode == Leader {
			return m
		}
	}
	return ""
}

// Reelected checks that after an event that cost the ensemble its leader
// (gone, "" when every member went), a leader was elected again: the
// members serve with one leader, it is not gone, and its epoch is newer
// than any seen before.
func Reelected(before, after map[string]ServerState, gone string) error {
	if err := OneLeader(after); err != nil {
		return fmt.Errorf("no leader elected again: %w", err)
	}
	leader := LeaderOf(after)
	if gone != "" && leader == gone {
		return fmt.Errorf("%s is still the leader although it was removed%s", gone, evidence(after))
	}
	var old int64
	for _, s := range before {
		old = max(old, s.Epoch())
	}
	if e := after[leader].Epoch(); e <= old {
		return fmt.Errorf("leader %s is in epoch %d, not newer than %d before: no election happened%s\nbefore:%s",
			leader, e, old, evidence(after), evidence(before))
	}
	return nil
}

// IDsMatchOrdinals checks that each member runs with server id ordinal + 1
// (MyID) and that no two share an id.
func IDsMatchOrdinals(ids map[string]int) error {
	var bad []string
	byID := map[int][]string{}
	for _, m := range sortedKeys(ids) {
		byID[ids[m]] = append(byID[ids[m]], m)
		want, err := MyID(m)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		if ids[m] != want {
			bad = append(bad, fmt.Sprintf("%s runs as server %d, want %d (ordinal + 1)", m, ids[m], want))
		}
	}
	for id, ms := range byID {
		if len(ms) > 1 {
			bad = append(bad, fmt.Sprintf("server id %d is used by %s", id, strings.Join(ms, " and ")))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("server ids do not follow the ordinals:\n  %s", strings.Join(bad, "\n  "))
	}
	return nil
}

// DistinctNodes checks that no two members run on one node, so that losing
// a node costs at most one member.
func DistinctNodes(nodes map[string]string) error {
	byNode := map[string][]string{}
	for _, m := range sortedKeys(nodes) {
		byNode[nodes[m]] = append(byNode[nodes[m]], m)
	}
	var bad []string
	for n, ms := range byNode {
		if n == "" {
			bad = append(bad, fmt.Sprintf("%s not scheduled", strings.Join(ms, ", ")))
		} else if len(ms) > 1 {
			bad = append(bad, fmt.Sprintf("%s share node %s", strings.Join(ms, " and "), n))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("members are not on distinct nodes: %s", strings.Join(bad, "; "))
	}
	return nil
}

// SameZnode checks that a znode read back (got, or the read's error) is the
// one written: still there (a missing znode is data loss), the same data,
// and the same creation (a znode lost and written again has a new czxid).
func SameZnode(written, got Znode, readErr error) error {
	switch {
	case errors.Is(readErr, ErrNoNode):
		return fmt.Errorf("data loss: %s is gone when read from %s; it was written as %s", written.Path, got.Member, written)
	case readErr != nil:
		return fmt.Errorf("could not read %s back (written as %s): %w", written.Path, written, readErr)
	case got.Data != written.Data:
		return fmt.Errorf("%s holds %q when read from %s, but %q was written (%s)", written.Path, got.Data, got.Member, written.Data, written)
	case got.Czxid != written.Czxid:
		return fmt.Errorf("%s was created again: read from %s it has czxid 0x%x, the write had 0x%x: the znode written was lost (%s)",
			written.Path, got.Member, got.Czxid, written.Czxid, written)
	}
	return nil
}

func evidence(states map[string]ServerState) string {
	var b strings.Builder
	for _, m := range sortedKeys(states) {
		fmt.Fprintf(&b, "\n  %s: %s", m, states[m])
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
