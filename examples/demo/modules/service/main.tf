variable "name" {
  type = string
}

variable "app_version" {
  type = string
}

variable "replicas" {
  type = number
}

variable "network_id" {
  type = string
}

resource "terraform_data" "deployment" {
  input = {
    name     = var.name
    image    = "registry.example.com/${var.name}:${var.app_version}"
    replicas = var.replicas
    network  = var.network_id
  }
}

resource "terraform_data" "instance" {
  count = var.replicas
  input = "${var.name}-${count.index}"
}

output "endpoint" {
  value = "https://${var.name}.internal.example.com"
}
