//! The list of export files, rendering one or all of them, and the tar archive of them.

use super::cloudfront::cloudfront_config;
use super::dockerfile::dockerfile;
use super::scaling::{scalable_target, scaling_policies, scheduled_actions};
use super::service::service;
use super::task_definition::task_definition;
use super::{pretty, scripts, stack, yaml, Context, ExportFile, RenderedFile, DEFAULT_PLANNER_URL};
use crate::model::scenario::Scenario;
use crate::model::Plan;

/// The files a scenario exports, in the order the Exports panel lists them.
pub fn files_for(s: &Scenario) -> Vec<ExportFile> {
    ExportFile::ALL.into_iter().filter(|f| f.applies_to(s)).collect()
}

/// Every export file, with the header link pointing at the published planner.
pub fn all_files(s: &Scenario, p: &Plan) -> Vec<RenderedFile> {
    render_all(&Context::new(s, p, DEFAULT_PLANNER_URL))
}

/// Every export file for a context (its header link points at the context's planner URL).
pub fn render_all(c: &Context) -> Vec<RenderedFile> {
    files_for(c.s).into_iter().filter_map(|f| render(c, f)).collect()
}

/// One export file (the app renders only the file on screen).
pub fn file(file: ExportFile, s: &Scenario, p: &Plan, planner_url: &str) -> Option<RenderedFile> {
    render(&Context::new(s, p, planner_url), file)
}

/// One file's content, or None when the scenario does not have that file.
pub fn render(c: &Context, file: ExportFile) -> Option<RenderedFile> {
    if !file.applies_to(c.s) {
        return None;
    }
    let content = match file {
        ExportFile::TaskDefinition => pretty(&task_definition(c)),
        ExportFile::TaskDefinitionYaml => {
            format!("{}{}", c.header("#"), yaml::to_yaml(&task_definition(c)))
        }
        ExportFile::Service => pretty(&service(c)),
        ExportFile::ScalableTarget => pretty(&scalable_target(c)),
        ExportFile::Dockerfile => dockerfile(c),
        ExportFile::CloudFrontConfig => pretty(&cloudfront_config(c)),
        ExportFile::DeployScript => scripts::deploy(c),
        ExportFile::TeardownScript => scripts::teardown(c),
        ExportFile::StackTemplate => stack::render(c),
        ExportFile::StackDeployScript => stack::deploy_script(c),
        ExportFile::ScalingPolicy
        | ExportFile::ScalingPolicyIn
        | ExportFile::ScheduledActionStart
        | ExportFile::ScheduledActionEnd => {
            let (_, value) = scaling_policies(c)
                .into_iter()
                .chain(scheduled_actions(c))
                .find(|(f, _)| *f == file)?;
            pretty(&value)
        }
    };
    Some(RenderedFile { file, content })
}

/// A POSIX tar archive of the files (the "Download all" button).
pub fn tar_archive(files: &[RenderedFile]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let mut header = [0u8; 512];
        let name = f.name().as_bytes();
        header[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
        let mode = if f.file.is_script() { "0000755\0" } else { "0000644\0" };
        header[100..108].copy_from_slice(mode.as_bytes());
        header[108..116].copy_from_slice(b"0000000\0");
        header[116..124].copy_from_slice(b"0000000\0");
        header[124..136].copy_from_slice(format!("{:011o}\0", f.content.len()).as_bytes());
        header[136..148].copy_from_slice(b"00000000000\0");
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|&b| b as u32).sum();
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(f.content.as_bytes());
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}
