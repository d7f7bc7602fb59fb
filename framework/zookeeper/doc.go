// Package zookeeper talks to a ZooKeeper ensemble running in a StatefulSet
// the way its clients do: through ZooKeeper's own protocol, never by reading
// its files. Each call opens a port-forward to one member's client port
// (client-go's portforward over the API server, so it works from outside
// the cluster and from an in-cluster runner alike), asks, and closes it:
// reads and writes with the Go client github.com/go-zookeeper/zk, state with
// the four-letter words srvr, mntr and conf.
//
// The package also renders the ensemble's manifest (fixtures/zookeeper) and
// holds the pure checks the specs judge with: one leader and the rest
// followers, myid = ordinal + 1, members on distinct nodes, and that a znode
// read back is the one written (no data loss), and the steps a spec takes
// on an ensemble (steps.go: wait for a quorum or a re-election, write,
// read back, ask for server ids), each asking until the members answer or
// its Wait runs out. Functions take a context first and return errors;
// assertions live in the specs.
package zookeeper
