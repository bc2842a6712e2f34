using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Harness.Conformance.Tests")]
