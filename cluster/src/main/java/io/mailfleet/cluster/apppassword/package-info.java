/** App passwords: one sharded entity per account holding their hashes, and the store the node uses. */
package io.mailfleet.cluster.apppassword;
