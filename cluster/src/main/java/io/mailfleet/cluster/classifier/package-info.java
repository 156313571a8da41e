/** The spam classifier's models (global and per account) as sharded event-sourced entities. */
package io.mailfleet.cluster.classifier;
