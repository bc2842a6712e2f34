#!/usr/bin/env bash
# Runs the tests with coverage (coverlet) and writes the HTML coverage report with ReportGenerator
# (a local dotnet tool, .config/dotnet-tools.json) to coverage/html/index.html.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf coverage
dotnet tool restore >/dev/null
dotnet test Harness.sln -c Release --collect:"XPlat Code Coverage" --results-directory coverage/raw -nologo -v q "$@"
dotnet tool run reportgenerator -reports:"coverage/raw/**/coverage.cobertura.xml" -targetdir:coverage/html \
  -reporttypes:"Html;TextSummary" -assemblyfilters:"+Harness.*;-*.Tests;-Harness.Benchmarks" >/dev/null
cat coverage/html/Summary.txt | head -20
echo "Coverage report: coverage/html/index.html"
