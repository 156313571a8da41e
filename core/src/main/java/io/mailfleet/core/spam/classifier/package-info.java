/**
 * The built-in statistical spam classifier: message text through the one MIME parser, words, OSB token
 * pairs hashed into a bounded table, and Robinson/Fisher naive Bayes over the learned counts.
 */
package io.mailfleet.core.spam.classifier;
