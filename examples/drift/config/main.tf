# drift-check example: a stack with no external objects (terraform_data, built in): clean after apply;
# changing var.release without applying gives a pending change, not drift.
variable "release" {
  type    = string
  default = "2026.11.1"
}

resource "terraform_data" "release" {
  input = var.release
}

output "release" {
  value = terraform_data.release.output
}
