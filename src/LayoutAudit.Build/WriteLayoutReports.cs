using System;
using System.IO;
using LayoutAudit.Reports;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LayoutAudit.Build
{
    /// <summary>Writes the build reports of one project: <c>layout-audit.json</c> (the same contract as
    /// <c>layout-audit layout --format json</c>) and <c>layout-audit.md</c>, from the predictions the generator
    /// registered in the compiled assembly. A project with no audited type gets no reports (stale ones are removed).</summary>
    public sealed class WriteLayoutReports : Task
    {
        /// <summary>The compiled assembly (<c>@(IntermediateAssembly)</c>).</summary>
        [Required]
        public string AssemblyPath { get; set; } = "";

        [Required]
        public string JsonReportPath { get; set; } = "";

        [Required]
        public string MarkdownReportPath { get; set; } = "";

        /// <summary>How many audited types the reports list (with layout or not).</summary>
        [Output]
        public int TypeCount { get; set; }

        public override bool Execute()
        {
            try
            {
                var (layouts, problems) = PredictionReader.Read(AssemblyPath);
                TypeCount = layouts.Count + problems.Count;
                if (TypeCount == 0)
                {
                    File.Delete(JsonReportPath);
                    File.Delete(MarkdownReportPath);
                    return true;
                }

                Write(JsonReportPath, JsonReport.Write(layouts, problems));
                Write(MarkdownReportPath, MarkdownReport.Render(layouts, problems));
                Log.LogMessage(MessageImportance.Normal, "LayoutAudit: {0} audited types reported in {1}", TypeCount, JsonReportPath);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                // A report that cannot be written must not fail the build that produced a good assembly.
                Log.LogWarning("LayoutAudit could not write its build reports for {0}: {1}", AssemblyPath, e.Message);
                return true;
            }
        }

        /// <summary>Writes only when the content changed, so an unchanged report keeps its time stamp.</summary>
        private static void Write(string path, string content)
        {
            if (File.Exists(path) && File.ReadAllText(path) == content)
            {
                return;
            }

            string? folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(path, content);
        }
    }
}
